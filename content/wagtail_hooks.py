from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def name_unnamed_fields():
    """Labels for the StreamField inputs Wagtail 8.0 leaves unnamed (see the
    file for the Wagtail issues)."""
    return format_html(
        '<script src="{}" defer></script>', static("content/admin/field_names.js")
    )
