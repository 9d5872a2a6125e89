from wagtail.users.apps import WagtailUsersAppConfig


class LmsUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, auditing role changes (lms.user_admin)."""

    default = False
    user_viewset = "lms.user_admin.UserViewSet"
