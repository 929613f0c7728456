"""The editorial thread of a story: reporters and editors talking, never public.

Anyone who may open the story may read and add to its thread
(permissions.can_comment); nobody else learns that it exists.
"""

from django.db import transaction

from ..models import EditorialComment
from . import permissions
from .workflow import NotAllowed, WorkflowError

MAX_LENGTH = 5000


@transaction.atomic
def add_comment(*, article, user, text):
    """Add `text` to the story's thread, as `user`."""
    if not permissions.can_comment(user, article):
        raise NotAllowed("你不能查看这篇稿件，也就不能留言。")
    text = (text or "").strip()
    if not text:
        raise WorkflowError("留言不能为空。", code="empty")
    if len(text) > MAX_LENGTH:
        raise WorkflowError(f"留言太长了（最多 {MAX_LENGTH} 字）。", code="too_long")
    return EditorialComment.objects.create(article=article, author=user, text=text)


def thread(article):
    """The story's comments, oldest first, with their authors (one query)."""
    return article.comments.select_related("author")
