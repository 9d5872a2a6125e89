"""The languages partners work in and offer their services in: codes kept
as a list, ticked by name in forms."""

from django import forms
from django.db import models
from django.utils.text import capfirst

from sdk import RESOURCE_LANGUAGES

# The languages a partner's services can be marked with (an import may bring
# others: they are kept and shown by their code).
OFFERED_LANGUAGES = frozenset(code for code, _name in RESOURCE_LANGUAGES)


class LanguageCodesField(models.JSONField):
    """Language codes kept as a list, chosen in forms by ticking names."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            choices=RESOURCE_LANGUAGES,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
        )


def language_names(codes: list[str]) -> list[str]:
    names = dict(RESOURCE_LANGUAGES)
    return [str(names.get(code, code)) for code in codes]
