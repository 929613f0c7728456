"""Changing a library photo that stories already show.

A photo is shared by every story that uses it: a new caption or file is live on
each published story at once. So the change is checked (permissions.can_change_photo)
and logged as a correction (ArticleEvent 更正) on every published story using it.
"""

from django.db import transaction

from .. import photos as photo_files
from ..models import Article, ArticleEvent
from . import permissions
from .workflow import NotAllowed, _log

S = Article.Status

# The fields whose change a reader of a published story can see.
VISIBLE_FIELDS = {"caption": "图片说明", "alt_text": "替代文字", "credit_reporter": "摄影",
                  "credit_text": "署名", "taken_on": "拍摄日期", "upload": "图片文件"}


def save_photo(*, photo, user, prepared=None, changed=()):
    """Save `photo` (with a new file when `prepared`), logging it on its published stories."""
    if not permissions.can_change_photo(user, photo):
        raise NotAllowed("你不能修改这张图片：它已用于他人的稿件或已发表的稿件，请联系编辑。")
    with transaction.atomic():
        if prepared is not None:
            photo_files.save_prepared(prepared, photo, uploaded_by=user)
        else:
            photo.save()
        labels = [VISIBLE_FIELDS[name] for name in changed if name in VISIBLE_FIELDS]
        if photo.pk and labels:
            _log_on_stories(photo, user, labels)
    return photo


def _log_on_stories(photo, user, labels):
    note = f"修改了所用图片（{photo}）的{'、'.join(labels)}"
    for article in Article.objects.filter(photo_links__photo=photo, status=S.PUBLISHED).distinct():
        _log(article, user, ArticleEvent.Action.CORRECTED, S.PUBLISHED, comment=note)
