"""Which forms on a page have errors, for the error summary and the title.

The site's base template asks once per page, so every form a view puts in the
context (its own, allauth's, a plugin's) gets the summary without each template
wiring it in.
"""

from dataclasses import dataclass

from django import forms
from django.forms.formsets import BaseFormSet
from django_filters import FilterSet


@dataclass(frozen=True)
class FormError:
    message: str
    anchor: str  # the id of the field to go to; empty for the form as a whole


def _forms_in(value) -> list[forms.BaseForm]:
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, FilterSet):
        return [value.form]
    if isinstance(value, BaseFormSet) and value.is_bound:
        return [value, *value.forms]
    return []


def form_errors(context) -> list[FormError]:
    """The errors of every bound form in a template context, in page order of
    each form's fields: whole-form errors first, then each field's."""
    errors: list[FormError] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) in seen or not form.is_bound:
                continue
            seen.add(id(form))
            if isinstance(form, BaseFormSet):
                errors += [FormError(str(e), "") for e in form.non_form_errors()]
                continue
            if not form.errors:
                continue
            errors += [FormError(str(e), "") for e in form.non_field_errors()]
            for field in form:
                errors += [
                    FormError(
                        f"{field.label}: {e}" if field.label else str(e), _anchor(field)
                    )
                    for e in field.errors
                ]
    return errors


def _anchor(field: forms.BoundField) -> str:
    """The id to go to: the input, or a choice list's first choice (Django gives
    radio buttons and checkbox lists no id_for_label of their own)."""
    if field.is_hidden:
        return ""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else ""
