"""Admin views that write each staff change to the audit log (lms.audit),
in the change's own transaction.

A view says what it audits: `audit_prefix` ("membership" gives the actions
"membership.create", ".change" and ".delete"), `snapshot` (what the log
keeps of a record: ids, codes and flags, never names or addresses) and
`audit_subject` (the person the record is about). An edit that leaves the
snapshot as it was writes nothing.
"""

from django.db import transaction
from django.db.models import Model

from lms.audit import record


class Audited:
    audit_prefix = ""

    def snapshot(self, instance: Model) -> dict:
        raise NotImplementedError

    def audit_subject(self, instance: Model):
        return None

    def audit(self, verb: str, instance: Model, **states) -> None:
        record(
            self.request.user,
            f"{self.audit_prefix}.{verb}",
            subject=self.audit_subject(instance),
            target=instance,
            **states,
        )


class AuditedCreate(Audited):
    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            self.audit("create", instance, after=self.snapshot(instance))
        return instance


class AuditedEdit(Audited):
    def save_instance(self):
        with transaction.atomic():
            saved = (
                type(self.object)
                ._default_manager.select_for_update()
                .get(pk=self.object.pk)
            )
            before = self.snapshot(saved)
            instance = super().save_instance()
            after = self.snapshot(instance)
            if after != before:
                self.audit("change", instance, before=before, after=after)
        return instance


class AuditedDelete(Audited):
    def delete_action(self):
        with transaction.atomic():
            self.audit("delete", self.object, before=self.snapshot(self.object))
            super().delete_action()
