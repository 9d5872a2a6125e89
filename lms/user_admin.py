"""The admin's user screens, with every change to a person's roles (staff
groups, superuser, active) written to the audit log (lms.audit_views)."""

from wagtail.users.views.users import CreateView, DeleteView, EditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.audit_views import Audited, AuditedCreate, AuditedDelete, AuditedEdit


class RolesAudit(Audited):
    audit_prefix = "user"

    def snapshot(self, user) -> dict:
        return {
            "groups": sorted(user.groups.values_list("pk", flat=True)),
            "is_superuser": user.is_superuser,
            "is_active": user.is_active,
        }

    def audit_subject(self, user):
        return user


class UserCreateView(RolesAudit, AuditedCreate, CreateView):
    pass


class UserEditView(RolesAudit, AuditedEdit, EditView):
    pass


class UserDeleteView(RolesAudit, AuditedDelete, DeleteView):
    pass


class UserViewSet(WagtailUserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
