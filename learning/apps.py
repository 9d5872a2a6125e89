from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Courses and certificates")

    def ready(self) -> None:
        from cohorts import membership, models, personal_data, signals
        from cohorts import panels as cohort_panels
        from cohorts.urls import add_patterns
        from learning import editing, panels, paths, receivers, urls
        from learning.personal_data import certificates, lesson_progress

        # A course may need others completed first: joining asks.
        membership.join_requirements["prerequisites"] = paths.prerequisites_unmet
        models.path_contexts["steps"] = paths.path_context
        cohort_panels.group_panels["my_courses"] = panels.my_courses
        personal_data.export_sections["lesson_progress"] = lesson_progress
        personal_data.export_sections["certificates"] = certificates
        signals.term_copied.connect(
            receivers.term_copied, dispatch_uid="learning-module-releases-term"
        )
        editing.add_course_panel()
        # The course and certificate pages keep their addresses and names
        # under /cohorts/.
        add_patterns(urls.urlpatterns)
