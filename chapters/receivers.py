"""How chapters reacts to changes announced below it (connected in
ChaptersConfig.ready)."""

from chapters.courses import original_published


def page_published(sender, instance, **kwargs) -> None:
    """A course (or a module or lesson of it) published: the chapters whose
    copy came from it are told."""
    original_published(instance)
