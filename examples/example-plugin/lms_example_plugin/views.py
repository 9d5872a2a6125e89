from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms_example_plugin.models import ReadingNote


@login_required
def notes(request):
    """Only the signed-in participant's own notes, never anyone else's."""
    notes = ReadingNote.objects.filter(user=request.user)
    return render(request, "lms_example_plugin/notes.html", {"notes": notes})
