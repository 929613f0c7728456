"""E-mail to the people a workflow step concerns, sent once the transaction commits.

Called by workflow.py only:
- submit, pass a level, send back one level: the people who may act at the
  level the story now waits at (permissions.reviewers: the level's groups,
  scope-aware, never its authors nor someone who passed another of its levels;
  administrators when nobody else may);
- 撤回送审: the people of the level the story was waiting at;
- return (from any level), publish (or schedule), withdraw, and a correction
  by someone else: the reporters of the byline, through their linked accounts
  with an e-mail.
The person who acted never gets a mail about their own act. One message per
recipient (nobody sees the others' addresses), in Chinese, with a link to the
story's admin page. A mail server that fails is logged and never undoes the
step: the mail goes after the commit.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models.text import clean_line, clean_text
from . import permissions

logger = logging.getLogger(__name__)


def admin_url(article):
    base = settings.NEWSROOM_BASE_URL.rstrip("/")
    return base + reverse("admin:articles_article_change", args=[article.pk])


def _name(user):
    return user.get_full_name() or user.get_username() if user else "系统"


def byline_users(article):
    """The byline's reporters' accounts that can receive mail (active, with an e-mail)."""
    return list(
        get_user_model().objects.filter(
            reporter__bylines__article=article, is_active=True
        ).exclude(email="").distinct().order_by("username")
    )


def _send(recipients, subject, lines, actor):
    """Queue one mail per recipient (not the actor) for after the commit."""
    addresses = sorted({u.email for u in recipients if u.email and u.is_active and u != actor})
    if not addresses:
        return
    # One line, whatever a title held (a line break in a header makes Django refuse the
    # whole mail); the body keeps its lines but loses what no mail should carry.
    subject = clean_line(subject)
    body = clean_text("\n".join(lines) + "\n\n——工会新闻编辑部（系统邮件，请勿直接回复）\n")
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]

    def deliver():
        for message in messages:
            try:
                message.send()
            except Exception:  # noqa: BLE001  a mail server must never break the newsroom
                # %r: nothing in a subject can write a line of its own into the log.
                logger.exception("通知邮件发送失败：%r → %r", subject, message.to)

    transaction.on_commit(deliver)


def _to_reviewers(article, actor, first, extra=()):
    """Tell the people at the story's level that it waits for them."""
    level = article.review_level.name
    _send(
        permissions.reviewers(article),
        f"【待{level}】《{article.title}》",
        [first, *extra, f"请进行{level}：{admin_url(article)}"],
        actor,
    )


def submitted(*, article, actor):
    _to_reviewers(article, actor, f"{_name(actor)} 送审了稿件《{article.title}》。",
                  [f"送审时间：{timezone.localtime(article.submitted_at):%Y-%m-%d %H:%M}"])


def passed(*, article, actor, level, next_level):
    _to_reviewers(article, actor, f"稿件《{article.title}》已由 {_name(actor)} {level.name}通过，送{next_level.name}。")


def sent_back(*, article, actor, level, to_level, reason):
    _to_reviewers(article, actor, f"稿件《{article.title}》在{level.name}被 {_name(actor)} 退回{to_level.name}。",
                  ["", "理由：", reason, ""])


def recalled(*, article, actor, level):
    _send(
        permissions.reviewers_at(article, level),
        f"【撤回送审】《{article.title}》",
        [f"{_name(actor)} 撤回了送审的稿件《{article.title}》，{level.name if level else '审稿'}无需再处理。",
         f"打开稿件：{admin_url(article)}"],
        actor,
    )


def returned(*, article, actor, reason, level=None):
    where = f"在{level.name}" if level else ""
    _send(
        byline_users(article),
        f"【退回】《{article.title}》",
        [
            f"你的稿件《{article.title}》{where}被 {_name(actor)} 退回。",
            "",
            "退回理由：",
            reason,
            "",
            f"请修改后重新送审：{admin_url(article)}",
        ],
        actor,
    )


def published(*, article, actor):
    if article.is_scheduled():
        when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
        subject, first = f"【定时发布】《{article.title}》", f"你的稿件《{article.title}》已由 {_name(actor)} 安排于 {when} 发布。"
    else:
        subject, first = f"【已发布】《{article.title}》", f"你的稿件《{article.title}》已由 {_name(actor)} 发布。"
    _send(byline_users(article), subject, [first, f"打开稿件：{admin_url(article)}"], actor)


def withdrawn(*, article, actor, reason):
    _send(
        byline_users(article),
        f"【撤回】《{article.title}》",
        [f"你的稿件《{article.title}》已被 {_name(actor)} 撤回，不再公开。", "", "撤回理由：", reason,
         "", f"打开稿件：{admin_url(article)}"],
        actor,
    )


def corrected(*, article, actor, note, public_note=""):
    lines = [f"你已发布的稿件《{article.title}》被 {_name(actor)} 修改（更正）。", "", "更正说明：", note]
    if public_note:
        lines += ["", "稿件页面公开的更正：", public_note]
    lines += ["", f"打开稿件：{admin_url(article)}"]
    _send(byline_users(article), f"【更正】《{article.title}》", lines, actor)
