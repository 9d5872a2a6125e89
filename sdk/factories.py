"""factory_boy factories for plugin tests: people, programs, groups of each
kind, memberships of each role and state, sessions.

Import them from `sdk.testing` (`from sdk.testing import GroupFactory`), which
loads this module on first use, once Django's models exist. A group is added
under the site's home page unless given a `parent`, as the site's navigation
needs. Grouped by the module each name comes from.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.test import Client
from django.utils import timezone

from cohorts.models import CohortPage, Membership, Program
from content.site import ensure_home_page
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from scheduling.models import Session

__all__ = [
    "GroupFactory",
    "GroupPeople",
    "MembershipFactory",
    "ProgramFactory",
    "SessionFactory",
    "UserFactory",
    "group_with_people",
]

PASSWORD = "correct-horse-battery-1"  # noqa: S105 (tests only)


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a password; log them in with `client.force_login(person)`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """Django auth groups to put the person in: `groups=[group, …]`."""
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()


class ProgramFactory(factory.django.DjangoModelFactory):
    """A program; `leads=[person, …]` makes them its program leads."""

    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.add(*extracted)


class GroupFactory(factory.Factory):
    """A published group (`kind` cohort, circle, training or event) of a new
    program, with `plugins` switched on, under the site's home page."""

    class Meta:
        model = CohortPage

    title = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = CohortPage.Kind.COHORT
    program = factory.SubFactory(ProgramFactory)
    plugins = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or ensure_home_page()).add_child(instance=page)
        page.save_revision().publish()
        return page


class MembershipFactory(factory.django.DjangoModelFactory):
    """`role` participant, facilitator or lead; `status` active, completed,
    waitlisted, invited or left."""

    class Meta:
        model = Membership

    cohort = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.PARTICIPANT
    status = Membership.Status.ACTIVE


class SessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session of a group, a week from now."""

    class Meta:
        model = Session

    cohort = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    location_name = "Library, room 2"


@dataclass
class GroupPeople:
    """A group and one person of each kind in `sdk.testing.ROLES` (the
    `visitor` is None)."""

    group: CohortPage
    other_group: CohortPage
    people: dict[str, AbstractBaseUser | None]

    def client(self, role: str) -> Client:
        """A test client logged in as that person (anonymous for `visitor`)."""
        client = Client()
        person = self.people[role]
        if person is not None:
            client.force_login(person)
        return client


def group_with_people(
    plugins: Iterable[str] = (), **group_fields: object
) -> GroupPeople:
    """A published group with `plugins` switched on, another group of its
    program, and one person of each role; needs the database (`db`)."""
    ensure_role_groups()
    program = ProgramFactory()
    group = GroupFactory(program=program, plugins=list(plugins), **group_fields)
    other_group = GroupFactory(program=program, plugins=list(plugins))

    def member(cohort: CohortPage, role: str, status: str = "active"):
        return MembershipFactory(cohort=cohort, role=role, status=status).user

    program_lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    program.leads.add(program_lead)
    people = {
        "visitor": None,
        "outsider": UserFactory(),
        "other_group": member(other_group, "participant"),
        "left": member(group, "participant", "left"),
        "waitlisted": member(group, "participant", "waitlisted"),
        "participant": member(group, "participant"),
        "facilitator": member(group, "facilitator"),
        "group_lead": member(group, "lead"),
        "program_lead": program_lead,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return GroupPeople(group, other_group, people)
