"""The 审稿单 (review slip) of a story: what an inspector asks to see, read from its log.

Every step is an ArticleEvent (append-only, so the slip cannot be altered):
submission with the acknowledged 机审 warnings, each level's reviewer, time and
opinion, returns and send-backs with their reasons, 撤回送审, the sign-off and
withdrawals. The admin shows it as a printable page and as a PDF.
"""

from dataclasses import dataclass

from ..models import ArticleEvent
from ..services import review

A = ArticleEvent.Action


@dataclass(frozen=True)
class Step:
    event: ArticleEvent
    what: str  # 初审通过, 复审退回上一级, 终审签发（定时发布）…

    @property
    def is_return(self):
        return self.event.action in (A.RETURNED, A.SENT_BACK, A.RECALLED, A.WITHDRAWN)


def _what(event):
    level = event.level_name
    return {
        A.SUBMITTED: f"送审（送{level}）" if level else "送审",
        A.RECALLED: "撤回送审",
        A.PASSED: f"{level}通过",
        A.SENT_BACK: f"{level}退回上一级",
        A.RETURNED: f"{level}退回记者" if level else "退回记者",
        A.PUBLISHED: f"{level}签发（立即发布）" if level else "发布",
        A.SCHEDULED: f"{level}签发（定时发布）" if level else "定时发布",
        A.WITHDRAWN: "撤稿",
    }[event.action]


def review_slip(article):
    """Everything the slip shows, in a fixed handful of queries."""
    events = list(article.events.review_steps().select_related("actor"))
    signed = [e for e in events if e.action in (A.PUBLISHED, A.SCHEDULED)]
    policy = review.path_of(article)[0] if article.review_policy_id else None
    return {
        "story": article,
        # The byline as printed; without one, who filed the story.
        "credit": article.credit_line() or (
            f"（未署名，创建人 {article.created_by.get_full_name() or article.created_by.get_username()}）"
            if article.created_by else ""),
        "union_bodies": list(article.union_bodies.all()),
        "policy": policy,
        "steps": [Step(event, _what(event)) for event in events],
        "signed": signed[-1] if signed else None,
    }
