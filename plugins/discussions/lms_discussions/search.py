"""Search within a space: the threads whose title or a shown post has the
words asked for.

On PostgreSQL, its full-text search (words stemmed in the space's language,
web-search syntax: "quoted phrases", -left out, or); on another database
(SQLite in development), each word anywhere, ignoring case. Text nobody but
moderators sees (deleted, hidden, held back) is never searched: a hit on it
would tell members what it said.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from lms_discussions.models import Post, Thread

# PostgreSQL's text search configurations for the site's languages; another
# language's words are matched as written ("simple").
CONFIGURATIONS = {"en": "english", "es": "spanish"}
MOST_WORDS = 10


def shown_posts() -> QuerySet[Post]:
    return Post.objects.filter(deleted_at=None, hidden_at=None, held_for_review=False)


def matching(threads: QuerySet[Thread], text: str, language: str) -> QuerySet[Thread]:
    if connection.vendor == "postgresql":
        return _full_text(threads, text, CONFIGURATIONS.get(language, "simple"))
    for word in text.split()[:MOST_WORDS]:
        in_posts = shown_posts().filter(thread=OuterRef("pk"), body__icontains=word)
        threads = threads.filter(Q(title__icontains=word) | Exists(in_posts))
    return threads


def _full_text(threads: QuerySet[Thread], text: str, config: str) -> QuerySet[Thread]:
    query = SearchQuery(text, search_type="websearch", config=config)
    in_posts = (
        shown_posts()
        .filter(thread=OuterRef("pk"))
        .annotate(words=SearchVector("body", config=config))
        .filter(words=query)
    )
    return threads.annotate(title_words=SearchVector("title", config=config)).filter(
        Q(title_words=query) | Exists(in_posts)
    )
