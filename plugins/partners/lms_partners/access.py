"""Who keeps the directory: the coalition's leads (the leads of any program)
and superusers. Every view, menu item and admin screen of the plugin that is
for them asks here; facilitators reach the admin too and must not see
unlisted partners, contacts or corrections."""

from django.contrib.auth.base_user import AbstractBaseUser

from lms_partners.models import Partner
from sdk import ProgramLeadsPolicy


def keeps_directory(user: AbstractBaseUser) -> bool:
    return ProgramLeadsPolicy(Partner).user_has_permission(user, "change")
