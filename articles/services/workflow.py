"""The editorial workflow: every change of a story's status, and every save of a story.

The states and transitions, with who may start each, are one table in
articles/services/transitions.py; the review levels a story passes (三审三校)
are data, read through articles/services/review.py. Each service here is keyword-only, runs in
one transaction, checks permission and state from that table against the row
as it is in the database (locked), refuses a stale `expected_version`, changes the story with a plain
`save()` (so sanitising, version counting and every save hook still run) and
writes an ArticleEvent (with the review level, and the opinion or reason, when
there is one: the story's 审稿单 is read from these events). Submission and
sign-off run the machine check (articles/checks) first: a 禁用 finding refuses,
warnings must be acknowledged by the person acting (and are logged with the
step). Refusals are `WorkflowError` (a ValidationError) or `NotAllowed` (a
PermissionDenied), with a message fit to show a journalist.

The admin, the bulk actions, the importer and the commands call these
functions; nothing else creates or deletes a story or sets `status` or
`published_at`.

Every save here is recorded as a revision (revisions.py) with the user and
what happened, and the people concerned are told by e-mail once the
transaction commits (notifications.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import checks, parsing
from ..models import Article, ArticleEvent, Correction
from . import notifications, permissions, review, revisions
from .transitions import PASS, PUBLISH, RECALL, RETURN, SEND_BACK, SUBMIT, WITHDRAW

S = Article.Status
A = ArticleEvent.Action


class WorkflowError(ValidationError):
    """The story is not in a state that allows this, or the input is incomplete."""


class StaleVersion(WorkflowError):
    """Someone else saved the story after the user opened it."""

    def __init__(self, current):
        self.current_version = current.version
        saved = timezone.localtime(current.updated_at).strftime("%H:%M:%S")
        super().__init__(
            f"这篇稿件在你打开之后已被他人保存（现为第 {current.version} 版，{saved} 保存）。"
            "你的这次操作没有生效，对方的修改已保留。",
            code="stale",
        )


class NotAllowed(PermissionDenied):
    """The user's role does not allow this action on this story."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def error_text(error):
    """One line of Chinese for a refusal, whichever kind it is."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "你没有权限进行此操作。"


# --- helpers ------------------------------------------------------------------


def _lock(article, expected_version):
    """Re-read the story's row, locked for this transaction, and compare versions.

    `select_for_update` holds the row on PostgreSQL; the compare-and-set in
    `_claim` makes the check atomic on SQLite as well, which has no row locks.
    """
    try:
        current = Article.objects.select_for_update().get(pk=article.pk)
    except Article.DoesNotExist:  # in the 回收站 (Article.objects hides it)
        raise WorkflowError("这篇稿件已被删除（在回收站中），请先恢复。", code="deleted")
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    return current


def _claim(current):
    """Compare-and-set: bump the version only if nobody saved since we read it."""
    claimed = Article.objects.filter(pk=current.pk, version=current.version).update(
        version=current.version + 1
    )
    if not claimed:
        raise StaleVersion(Article.objects.get(pk=current.pk))
    # save() counts the version again from the value we read: it stores the same +1.


def _log(article, user, action, from_status, comment="", level=None, acknowledged=()):
    if isinstance(user, permissions.SystemActor):
        comment = f"{user}：{comment}" if comment else str(user)
    account = permissions.account(user)
    return ArticleEvent.objects.create(
        article=article, action=action, from_status=from_status, to_status=article.status,
        actor=account, actor_name=(account.get_full_name() or account.get_username()) if account else str(user or ""),
        comment=comment, level_id=level.id if level else None, level_name=level.name if level else "",
        acknowledged=list(acknowledged),
    )


def _begin(transition, article, user, expected_version):
    """Lock the story and check that `user` may start `transition` on it now."""
    current = _lock(article, expected_version)
    if not transition.rule(user, current):
        raise NotAllowed(transition.refusal_for(user, current))
    _state(transition.leaves(current), transition.wrong_state(current))
    return current


def _machine_check(current, what, acknowledged):
    """机审: refuse on a 禁用 finding; warnings need the actor's acknowledgement.

    `acknowledged` is the fingerprint of the warnings the person saw and ticked
    (the form carries it), so warnings that changed since are asked for again.
    Returns the acknowledged warnings' texts, for the log and the 审稿单.
    """
    report = checks.check_article(current)
    if report.blocking:
        found = "；".join(finding.summary() for finding in report.blocking)
        raise WorkflowError(f"机审发现禁用内容，不能{what}：{found}。请修改后再{what}。", code="checks")
    if report.warnings and acknowledged not in (report.fingerprint(), checks.ACKNOWLEDGE_ALL):
        raise WorkflowError(
            f"机审有 {len(report.warnings)} 条提示尚未确认：请在稿件页核对机审结果，"
            f"勾选“已核对机审提示”后再{what}。", code="acknowledge",
        )
    return [finding.summary() for finding in report.warnings]


def _require(condition, message):
    if not condition:
        raise NotAllowed(message)


def _state(condition, message):
    if not condition:
        raise WorkflowError(message, code="state")


def _reason(text, what):
    text = (text or "").strip()
    if not text:
        raise WorkflowError(f"请填写{what}。", code="reason")
    return text


def _sync(target, current):
    """Copy the stored result back onto the caller's instance."""
    for field in ("status", "published_at", "submitted_at", "version", "updated_at",
                  "review_level_id", "review_policy_id"):
        setattr(target, field, getattr(current, field))


# --- transitions --------------------------------------------------------------


@transaction.atomic
def submit(*, article, user, expected_version=None, acknowledged=""):
    """Draft → review at the first level of the story's policy. Reporters submit their own
    stories, editors any; the machine check runs first."""
    current = _begin(SUBMIT, article, user, expected_version)
    _state(current.title.strip(), "请先填写主题再送审。")
    _state(current.body.strip(), "正文为空，不能送审。")
    seen = _machine_check(current, "送审", acknowledged)
    policy = review.policy_for(current)
    first = review.first_level(policy)
    _state(first is not None, "编辑部还没有设置审级，暂时不能送审。请联系管理员。")
    _claim(current)
    current.status, current.submitted_at = S.REVIEW, timezone.now()
    current.review_level_id, current.review_policy_id = first.id, policy.id or None
    with revisions.recording(user=user, comment="送审"):
        current.save()
    _log(current, user, A.SUBMITTED, S.DRAFT, f"送{first.name}（{policy.name}：{policy.describe()}）",
         level=first, acknowledged=seen)
    notifications.submitted(article=current, actor=user)
    _sync(article, current)
    return current


@transaction.atomic
def recall(*, article, user, expected_version=None):
    """撤回送审: review → draft, by the story's reporter, until its first review starts."""
    current = _begin(RECALL, article, user, expected_version)
    level = review.position(current).level
    _claim(current)
    current.status, current.review_level_id = S.DRAFT, None
    with revisions.recording(user=user, comment="撤回送审"):
        current.save()
    _log(current, user, A.RECALLED, S.REVIEW, level=level)
    notifications.recalled(article=current, actor=user, level=level)
    _sync(article, current)
    return current


@transaction.atomic
def pass_level(*, article, user, opinion, expected_version=None):
    """One level passes the story on to the next, with the reviewer's opinion (意见)."""
    current = _begin(PASS, article, user, expected_version)
    opinion = _reason(opinion, "审稿意见")
    at = review.position(current)
    _move(current, user, at.level, at.next, A.PASSED, opinion, f"{at.level.name}通过：{opinion}")
    notifications.passed(article=current, actor=user, level=at.level, next_level=at.next)
    _sync(article, current)
    return current


def _move(current, user, level, to, action, text, revision):
    """Within review, from `level` to the level `to`: saved, kept as a revision, logged at `level`."""
    _claim(current)
    current.review_level_id = to.id
    with revisions.recording(user=user, comment=revision):
        current.save()
    _log(current, user, action, S.REVIEW, text, level=level)


@transaction.atomic
def send_back(*, article, user, reason, expected_version=None):
    """Back one level (复审 → 初审), with the reason; the lower level reviews again."""
    current = _begin(SEND_BACK, article, user, expected_version)
    reason = _reason(reason, "退回上一级的理由")
    at = review.position(current)
    _move(current, user, at.level, at.previous, A.SENT_BACK, reason, f"退回{at.previous.name}：{reason}")
    notifications.sent_back(article=current, actor=user, level=at.level, to_level=at.previous,
                            reason=reason)
    _sync(article, current)
    return current


@transaction.atomic
def return_to_reporter(*, article, user, reason, expected_version=None):
    """Review (at any level) → draft, with the reviewer's reason for the reporter."""
    current = _begin(RETURN, article, user, expected_version)
    reason = _reason(reason, "退回理由")
    level = review.position(current).level
    _claim(current)
    current.status, current.review_level_id = S.DRAFT, None
    with revisions.recording(user=user, comment=f"退回：{reason}"):
        current.save()
    _log(current, user, A.RETURNED, S.REVIEW, reason, level=level)
    notifications.returned(article=current, actor=user, reason=reason, level=level)
    _sync(article, current)
    return current


@transaction.atomic
def publish(*, article, user, at=None, expected_version=None, opinion="", acknowledged=""):
    """Sign-off (签发) at the last level: review → published, now (`at` None) or at a later
    time (scheduled), with the signer's opinion; the machine check runs again first.

    A scheduled story may be published now or rescheduled before its time comes,
    by whoever may act at its last level. It stays out of every public page
    until `published_at`, with no cron job: Article.objects.published()
    compares with the clock.
    """
    current = _begin(PUBLISH, article, user, expected_version)
    now = timezone.now()
    if at is not None:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        _state(at > now, "定时发布的时间必须晚于现在。")
        refusal = parsing.date_refusal(at, "定时发布的时间")
        _state(refusal is None, refusal)
    from_status = current.status
    level = review.position(current).level
    seen = []
    opinion = (opinion or "").strip()
    if from_status == S.REVIEW:
        opinion = _reason(opinion, "签发意见")
        seen = _machine_check(current, "签发", acknowledged)
    _claim(current)
    current.status, current.published_at, current.review_level_id = S.PUBLISHED, at or now, None
    with revisions.recording(user=user, comment="签发" if at is None else "签发（定时发布）"):
        current.save()
    if at is None:
        _log(current, user, A.PUBLISHED, from_status, opinion, level=level, acknowledged=seen)
    else:
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        comment = f"定于 {when} 发布" + (f"\n{opinion}" if opinion else "")
        _log(current, user, A.SCHEDULED, from_status, comment, level=level, acknowledged=seen)
    notifications.published(article=current, actor=user)
    _sync(article, current)
    return current


@transaction.atomic
def withdraw(*, article, user, reason, expected_version=None):
    """Published (or scheduled) → draft, off every public page, with the reason."""
    current = _begin(WITHDRAW, article, user, expected_version)
    reason = _reason(reason, "撤回理由")
    _claim(current)
    current.status, current.published_at = S.DRAFT, None
    with revisions.recording(user=user, comment=f"撤回：{reason}"):
        current.save()
    _log(current, user, A.WITHDRAWN, S.PUBLISHED, reason)
    notifications.withdrawn(article=current, actor=user, reason=reason)
    _sync(article, current)
    return current


# --- saving edits -------------------------------------------------------------


@transaction.atomic
def check_edit(*, article, user, expected_version=None, note=""):
    """Raise if `user` may not save `article` now (the form calls this to re-render early).

    Reads the stored row: the state that counts is the database's, not the form's.
    """
    if article.pk is None:
        _require(permissions.can_create(user), "你没有新建稿件的权限。")
        return None
    current = _lock(article, expected_version)
    if current.status == S.PUBLISHED:
        _require(permissions.can_correct(user, current), "已发布的稿件只有编辑可以更正。")
        _reason(note, "更正说明")
    elif current.status == S.REVIEW:
        _require(permissions.can_edit(user, current), "稿件已送审，等待编辑审稿期间不能修改。")
    else:
        _require(permissions.can_edit(user, current), "你只能修改自己的草稿。")
    return current


@transaction.atomic
def save_article(*, article, user, expected_version=None, note="", public_note=""):
    """Save an edit of `article` (or create it) under the workflow's rules.

    New stories start as drafts created by `user`, logged with `note` if any. Edits are refused unless the
    user may edit the story in its stored state, and unless nobody saved it since
    `expected_version`. A saved change to a published story is a correction: it
    is logged with `note`, may carry a `public_note` (更正) shown on the story's
    page with its date, and its reporters are told. Status and publication time
    are never taken from the caller: only the transitions above change them.
    """
    current = check_edit(article=article, user=user, expected_version=expected_version, note=note)
    if current is None:
        article.status, article.published_at, article.submitted_at = S.DRAFT, None, None
        article.created_by = permissions.account(user)
        with revisions.recording(user=user, comment="新建"):
            article.save()
        _log(article, user, A.CREATED, "", note.strip())
        return article
    _claim(current)
    for field in ("status", "published_at", "submitted_at", "created_by_id", "version",
                  "review_level_id", "review_policy_id"):
        setattr(article, field, getattr(current, field))
    published = current.status == S.PUBLISHED
    with revisions.recording(user=user, comment=f"更正：{note.strip()}" if published else "修改"):
        article.save()
    if published:
        _correct(article, user, note.strip(), public_note)
    return article


def _correct(article, user, note, public_note):
    """Log a correction of a published story, publish its 更正 note, tell its reporters."""
    _log(article, user, A.CORRECTED, S.PUBLISHED, note)
    public_note = (public_note or "").strip()
    if public_note:
        Correction.objects.create(article=article, note=public_note, created_by=user)
    notifications.corrected(article=article, actor=user, note=note, public_note=public_note)


# --- revisions ----------------------------------------------------------------


@transaction.atomic
def restore_revision(*, article, user, version_id, expected_version=None, note="", public_note=""):
    """Bring back an old version's text, byline, union bodies and photos.

    A restore is an edit under the story's current state: a reporter may restore
    only their own draft; an editor (of the story's scope) any story; on a
    published story it is a correction and needs a note. Status, publication
    time and the version counter stay as they are (the counter goes on). The
    restore is itself a new revision and an ArticleEvent.
    """
    current = _lock(article, expected_version)
    version = revisions.version_of(current, version_id)
    _state(version is not None, "找不到这篇稿件的这个历史版本。")
    published = current.status == S.PUBLISHED
    if published:
        _require(permissions.can_restore(user, current), "已发布的稿件只有编辑可以更正。")
        note = _reason(note, "更正说明")
    else:
        _require(permissions.can_restore(user, current), "你只能恢复自己草稿的历史版本。")
    old_bodies = [link.union_body_id for link in revisions.parts_of(version)["union_links"]]
    refusal = permissions.retag_refusal(user, current, old_bodies)
    _require(refusal is None, refusal)
    number = revisions.number(version)
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    what = f"恢复到第 {number} 版（{when}）"
    _claim(current)
    with revisions.recording(user=user, comment=what):
        missing = revisions.apply(current, version)
        current.save()
    if missing:
        what += f"；未能恢复已删除的{'、'.join(missing)}"
    note = (note or "").strip()
    if published:
        _correct(current, user, f"{what}：{note}", public_note)
    else:
        _log(current, user, A.RESTORED, current.status, f"{what}：{note}" if note else what)
    _sync(article, current)


# --- the 回收站 (soft delete) ---------------------------------------------------


@transaction.atomic
def delete_article(*, article, user, expected_version=None):
    """Move a story to the 回收站: off every public page and list, recoverable, logged.

    Only editors delete (reporters cannot remove a story, not even their own
    draft, so nothing filed is lost without an editor knowing).
    """
    current = _lock(article, expected_version)
    _require(permissions.can_delete(user, current), "只有编辑可以删除稿件（限负责范围内的稿件）。")
    _claim(current)
    current.deleted_at, current.deleted_by = timezone.now(), permissions.account(user)
    with revisions.recording(user=user, comment="移入回收站"):
        current.save()
    _log(current, user, A.DELETED, current.status, "移入回收站")
    _sync(article, current)
    article.deleted_at, article.deleted_by = current.deleted_at, current.deleted_by
    return current


@transaction.atomic
def undelete_article(*, article, user):
    """Bring a story back from the 回收站 in the state it was deleted in (logged)."""
    try:
        current = Article.all_objects.select_for_update().get(pk=article.pk)
    except Article.DoesNotExist:
        raise WorkflowError("没有这篇稿件。", code="missing")
    _require(permissions.can_undelete(user, current), "只有编辑可以恢复稿件（限负责范围内的稿件）。")
    _state(current.deleted_at is not None, "这篇稿件不在回收站中。")
    current.deleted_at, current.deleted_by = None, None
    with revisions.recording(user=user, comment="从回收站恢复"):
        current.save()
    _log(current, user, A.UNDELETED, current.status, "从回收站恢复")
    _sync(article, current)
    article.deleted_at, article.deleted_by = None, None
    return current
