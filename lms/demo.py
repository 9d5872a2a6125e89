"""Demo data: each app may ship a `demo` module registering loaders here.

`manage.py load_demo` imports every installed app's `demo` module (as Django's
admin does with `admin.py`) and runs the loaders in order. Loaders must be
idempotent: they look things up by a stable key before creating them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "learning-commons-demo"  # noqa: S105 (printed on purpose)


@dataclass
class DemoReport:
    """What the loaders made, printed at the end of `load_demo`."""

    logins: list[tuple[str, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def made(self, thing: str) -> None:
        self.created.append(thing)


Loader = Callable[[DemoReport], None]
_loaders: list[tuple[int, str, Loader]] = []


def register(order: int) -> Callable[[Loader], Loader]:
    """Run the decorated loader at this position (lower runs first)."""

    def decorator(loader: Loader) -> Loader:
        key = f"{loader.__module__}.{loader.__qualname__}"
        if all(existing != key for _, existing, _ in _loaders):
            _loaders.append((order, key, loader))
        return loader

    return decorator


def loaders() -> list[Loader]:
    return [loader for _, _, loader in sorted(_loaders, key=lambda item: item[:2])]


def demo_user(email: str, first_name: str, last_name: str, report: DemoReport, **extra):
    """A verified demo account that can log in with DEMO_PASSWORD."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        report.made(f"user {email}")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


# After the site exists, so the lead group gets its page permissions.
@register(order=30)
def load_people(report: DemoReport) -> None:
    from django.contrib.auth.models import Group

    from lms.roles import FACILITATORS, PROGRAM_LEADS, ensure_role_groups

    ensure_role_groups()
    admin = demo_user(
        "admin@example.org", "Ada", "Admin", report, is_staff=True, is_superuser=True
    )
    lead = demo_user("lead@example.org", "Maya", "Torres", report)
    lead.groups.add(Group.objects.get(name=PROGRAM_LEADS))
    facilitator = demo_user("facilitator@example.org", "Luis", "Ramírez", report)
    facilitator.groups.add(Group.objects.get(name=FACILITATORS))
    participant = demo_user("participant@example.org", "Grace", "Okafor", report)
    report.logins += [
        (admin.email, "administrator (everything)"),
        (lead.email, "program lead (builds pages, reads reports)"),
        (facilitator.email, "facilitator"),
        (participant.email, "participant"),
    ]
