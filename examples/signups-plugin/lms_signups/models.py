from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sdk import Session


def upcoming(sessions):
    """The scheduled sessions still to come, soonest first."""
    return sessions.filter(status="scheduled", starts_at__gte=timezone.now())


class Job(models.Model):
    """Something a session needs done ("bring snacks"), by `places` people."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("signups", "session"),
    )
    title = models.CharField(gettext_lazy("job"), max_length=80)
    places = models.PositiveSmallIntegerField(
        pgettext_lazy("signups", "places"), default=1
    )

    class Meta:
        ordering = ["session__starts_at", "title", "pk"]
        verbose_name = gettext_lazy("session job")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "title"], name="signups_one_job_per_title"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def take(self, user) -> str:
        """Put `user` down for the job; "" when done, else why not.

        The row lock makes two people taking the last place at once queue up,
        so a job never has more people than places."""
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=self.pk)
            taken = list(job.signups.values_list("user_id", flat=True))
            if user.pk in taken:
                return _("You already have this job.")
            if len(taken) >= job.places:
                return _("Somebody has just taken the last place on this job.")
            Signup.objects.create(job=job, user=user)
        return ""

    def release(self, user) -> bool:
        """Take `user` off the job; False if they did not have it."""
        deleted, _counts = self.signups.filter(user=user).delete()
        return deleted > 0


class Signup(models.Model):
    """A person taking a job: personal data, exported and erased with them."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("signed up"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = gettext_lazy("sign-up")
        constraints = [
            models.UniqueConstraint(fields=["job", "user"], name="signups_once_per_job")
        ]

    def __str__(self) -> str:
        return f"{self.job} ({self.user_id})"
