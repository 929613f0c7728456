"""Historical back-fill (补录): old printed pages' stories, published at their printed date.

Scheduling never accepts a past time (workflow.publish); this is the one,
explicit way a story gets one: an editor back-fills a past issue, and each of
its stories that is not yet published is published at the issue's date
(PRINTED_AT, Beijing time), marked `backfilled_at` and logged as its own
ArticleEvent action, 补录. Back-filled stories are archive, not news: they
appear in their day's archive, the e-paper, union and reporter pages and
search, but never on the front page or in the latest feeds
(`Article.objects.current()`), also when yesterday's page is back-filled today.

Only past issues (before today) are back-filled: today's paper is published
through the workflow like any news. The locking, version claim and log are
the workflow's own helpers.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from ..models import Article, ArticleEvent, Issue
from . import permissions, revisions
from .workflow import _claim, _lock, _log, _require, _state, _sync

S = Article.Status
PRINTED_AT = time(6, 0)  # a back-filled story's time of day: when the paper was out


def printed_time(day):
    """The publication time a story printed on `day` is back-filled with."""
    return timezone.make_aware(datetime.combine(day, PRINTED_AT))


def _check_past(day):
    _state(
        day < timezone.localdate(),
        f"{day:%Y年%m月%d日}不是过去的日期：补录只用于过去的版面，今天及以后的稿件请按正常流程发布。",
    )


@transaction.atomic
def backfill_article(*, article, user, day, expected_version=None):
    """Publish a draft or submitted story at its printed date `day` (before today), as 补录."""
    current = _lock(article, expected_version)
    _require(permissions.can_publish(user, current), "只有编辑可以补录稿件。")
    _state(
        current.status in (S.DRAFT, S.REVIEW),
        "这篇稿件已经发布，不需要补录。" if current.status == S.PUBLISHED else "这篇稿件不能补录。",
    )
    _check_past(day)
    _state(current.title.strip(), "请先填写主题再补录。")
    from_status = current.status
    _claim(current)
    current.status, current.published_at = S.PUBLISHED, printed_time(day)
    current.backfilled_at = timezone.now()
    with revisions.recording(user=user, comment="补录"):
        current.save()
    _log(current, user, ArticleEvent.Action.BACKFILLED, from_status,
         f"按见报日期 {day:%Y-%m-%d} 补录发布")
    _sync(article, current)
    article.backfilled_at = current.backfilled_at
    return current


@transaction.atomic
def backfill_issue(*, issue, user):
    """Back-fill a past issue: publish it and every unpublished story placed in it.

    All or nothing: a story the editor may not publish (outside their union
    bodies) refuses the whole issue, naming it. Stories published already keep
    their own time. Returns the stories back-filled.
    """
    _require(permissions.is_editor(user), "只有编辑可以补录。")
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _check_past(issue.date)
    stories = list(
        Article.objects.filter(placements__page__issue=issue, status__in=[S.DRAFT, S.REVIEW])
        .distinct().order_by("id")
    )
    refused = [story.title for story in stories if not permissions.can_publish(user, story)]
    _require(not refused, f"你不能发布这些稿件，本期没有补录：{'、'.join(refused[:5])}")
    done = [backfill_article(article=story, user=user, day=issue.date) for story in stories]
    if not issue.is_published:
        issue.is_published = True
        issue.save(update_fields=["is_published", "updated_at"])
    return done

