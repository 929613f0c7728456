"""What the newsroom desk shows: the review queue for editors, returned stories for reporters."""

from django.db.models import OuterRef, Subquery

from . import permissions
from .models import Article, ArticleEvent

S = Article.Status


def _last_event(field):
    return Subquery(
        ArticleEvent.objects.filter(article=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def review_queue():
    """Stories waiting for an editor, oldest submission first."""
    return (
        Article.objects.in_review()
        .select_related("created_by")
        .prefetch_related("union_bodies", "bylines__reporter")
        .order_by("submitted_at", "id")
    )


def upcoming():
    """Scheduled stories, the next to appear first."""
    return Article.objects.scheduled().order_by("published_at", "id")


def returned_to(user):
    """`user`'s drafts whose last event is a return, with the editor's reason and name.

    Each story carries `return_reason`, `returned_at` and `returned_by`.
    """
    return (
        Article.objects.drafts()
        .filter(permissions.own_filter(user))
        .annotate(
            last_action=_last_event("action"),
            return_reason=_last_event("comment"),
            returned_at=_last_event("created_at"),
            returned_by=_last_event("actor__username"),
            returned_by_name=_last_event("actor__first_name"),
        )
        .filter(last_action=ArticleEvent.Action.RETURNED)
        .order_by("-returned_at", "-id")
    )


def counts():
    """How many stories are in each state (three small indexed counts)."""
    return {
        "review": Article.objects.in_review().count(),
        "scheduled": Article.objects.scheduled().count(),
        "drafts": Article.objects.drafts().count(),
    }


def own_in_progress(user):
    """`user`'s own drafts and stories in review, most recently changed first."""
    return (
        Article.objects.filter(permissions.own_filter(user))
        .exclude(status=S.PUBLISHED)
        .order_by("-updated_at", "-id")
    )
