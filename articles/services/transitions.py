"""The vocabulary of the editorial workflow, written once.

    draft ──submit──▶ review: level 1 ──pass──▶ level 2 ──pass──▶ … last level ──sign off──▶ published
      ▲  ◀─recall (before the first review)─┘      │ ◀──send back one level──┘   (now, or scheduled)
      └──────────────── return (reason) from any level ─────────────────┘              │
      └─────────────────────────────── withdraw (reason) ──────────────────────────────┘

`STATES` names the four states a story can be in, as a newsroom sees them
(a scheduled story is published with a time still to come). The review levels
are rows in the database (articles/models/review.py: 初审 → 复审 → 终审 by
default, fewer under some policies); the rows of `TRANSITIONS` are written
once for every level and read the story's place on its path
(articles/services/review.py): `where` says at which levels a row applies
(pass: not the last; send back: not the first; sign off: the last), and
`label_for()` names the levels (“初审通过，送复审”). Each row also names the
permission rule that allows it, whether it needs a text (reason or opinion)
or a time, whether it runs the machine check (机审), and the workflow service
that carries it out. The workflow services check state, level and permission
from it, `available()` turns it into the buttons a user is offered, and the
change form renders those buttons from the rows themselves. Adding or removing
a level is a change of data; a new kind of step is one more row here (and one
service).
"""

from dataclasses import dataclass
from typing import Callable

from ..models import Article
from . import permissions, review

S = Article.Status


@dataclass(frozen=True)
class State:
    name: str
    label: str
    # Said on the story form to someone who has no button to press here.
    waiting: str = ""


DRAFT = State("draft", "草稿")
REVIEW = State("review", "待审", waiting="稿件正在审稿，只有这一级的审稿人可以处理；记者在审稿期间不能修改。")
SCHEDULED = State("scheduled", "定时")
PUBLISHED = State("published", "已发布")
STATES = {state.name: state for state in (DRAFT, REVIEW, SCHEDULED, PUBLISHED)}


def state_of(article):
    """The story's state as the newsroom sees it (a future publication time is 定时)."""
    if article.status == S.PUBLISHED and article.is_scheduled():
        return SCHEDULED
    return STATES[article.status]


def state_label(article):
    """The state with the level a story in review waits at: 待复审, 草稿, 定时 …"""
    state = state_of(article)
    if state is REVIEW and article.review_level_id:
        return f"待{article.review_level.name}"
    return state.label


# Where on its review path a story must stand for a row: (test of (its Position, the story),
# said when it fails).
ANY = None
NOT_LAST = (lambda at, story: at.level is not None and not at.is_last, "最后一级不再送下一级，请签发")
NOT_FIRST = (lambda at, story: at.previous is not None, "第一级没有上一级可退")
LAST = (lambda at, story: at.is_last, "只有最后一级（终审）可以签发")
UNTOUCHED = (lambda at, story: at.is_first and not review.review_started(story),
             "审稿已经开始，不能撤回送审")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple  # the States it leaves from
    rule: Callable  # permissions.can_…(user, article)
    refusal: object  # why `rule` said no: a text, or a function of (user, article) giving one
    service: str  # the function in articles/services/workflow.py that carries it out
    reason: str = ""  # the text box's label when a text is required (reason, opinion)
    text: str = "reason"  # the service's keyword for that text
    needs_time: bool = False  # asks for a publication time (scheduling)
    danger: bool = False  # takes a story back: shown apart from the forward buttons
    where: tuple = ANY  # in review: at which levels of the path (see above)
    checks: bool = False  # runs the machine check (机审) first; warnings must be acknowledged

    def label_for(self, article):
        """The button's label with the story's levels in it."""
        state = state_of(article)
        if state is SCHEDULED and self.service == "publish":  # signed off already
            return {"publish": "立即发布", "schedule": "改定发布时间"}[self.name]
        if state is not REVIEW:
            return self.label
        at = review.position(article)
        names = {"level": at.level.name if at.level else "",
                 "next": at.next.name if at.next else "", "previous": at.previous.name if at.previous else ""}
        return self.label.format(**names)

    def leaves(self, article):
        return state_of(article) in self.sources and self._position_refusal(article) is None

    def allows(self, user, article):
        return self.leaves(article) and self.rule(user, article)

    def refusal_for(self, user, article):
        return self.refusal(user, article) if callable(self.refusal) else self.refusal

    def _position_refusal(self, article):
        if self.where is ANY or state_of(article) is not REVIEW:
            return None
        test, said = self.where
        return None if test(review.position(article), article) else said

    def wrong_state(self, article):
        """The refusal for a story in a state (or at a level) this transition does not leave from."""
        state = state_of(article)
        label = self.label.format(level="", next="", previous="").rstrip("，")
        if state in self.sources:
            return f"稿件当前为“{state_label(article)}”，{self._position_refusal(article)}。"
        allowed = "或".join(f"“{s.label}”" for s in self.sources)
        return f"稿件当前为“{state_label(article)}”，只有{allowed}的稿件可以{label}。"

    def run(self, *, article, user, expected_version=None, reason="", at=None, acknowledged=""):
        """Carry the transition out through its workflow service."""
        from . import workflow

        inputs = {"article": article, "user": user, "expected_version": expected_version}
        if self.reason:
            inputs[self.text] = reason
        if self.needs_time:
            inputs["at"] = at
        if self.checks:
            inputs["acknowledged"] = acknowledged
        return getattr(workflow, self.service)(**inputs)


SUBMIT = Transition(
    "submit", "送审", (DRAFT,), permissions.can_submit, "你只能送审自己的稿件。", service="submit",
    checks=True,
)
RECALL = Transition(
    "recall", "撤回送审", (REVIEW,), permissions.can_recall, "只有稿件的记者可以撤回送审。",
    service="recall", where=UNTOUCHED, danger=True,
)
PASS = Transition(
    "pass", "{level}通过，送{next}", (REVIEW,), permissions.can_review, permissions.why_not_review,
    service="pass_level", reason="审稿意见（必填，记入审稿单）", text="opinion", where=NOT_LAST,
)
PUBLISH = Transition(
    "publish", "签发，立即发布", (REVIEW, SCHEDULED), permissions.can_publish,
    permissions.why_not_review, service="publish", reason="签发意见（必填，记入审稿单）",
    text="opinion", where=LAST, checks=True,
)
SCHEDULE = Transition(
    "schedule", "签发，定时发布", (REVIEW, SCHEDULED), permissions.can_publish,
    permissions.why_not_review, service="publish", reason="签发意见（必填，记入审稿单）",
    text="opinion", needs_time=True, where=LAST, checks=True,
)
SEND_BACK = Transition(
    "send_back", "退回{previous}", (REVIEW,), permissions.can_review, permissions.why_not_review,
    service="send_back", reason="退回上一级的理由（必填，记入审稿单）", danger=True, where=NOT_FIRST,
)
RETURN = Transition(
    "return", "退回记者", (REVIEW,), permissions.can_return, permissions.why_not_review,
    service="return_to_reporter", reason="退回理由（必填，记者会看到）", danger=True,
)
WITHDRAW = Transition(
    "withdraw", "撤回", (PUBLISHED, SCHEDULED), permissions.can_withdraw, "只有编辑可以撤回稿件。",
    service="withdraw", reason="撤回理由（必填）", danger=True,
)

# In the order the buttons are shown.
TRANSITIONS = {t.name: t for t in (SUBMIT, PASS, PUBLISH, SCHEDULE, SEND_BACK, RETURN, RECALL, WITHDRAW)}


def available(user, article):
    """The transitions `user` may start on `article` now, in display order."""
    if article.pk is None:
        return []
    return [t for t in TRANSITIONS.values() if t.allows(user, article)]


# The forward steps the story form offers beside 保存 as one click (保存并送审, 保存并签发 …):
# the typing is saved under the usual rules, then the step runs under its own.
SAVE_AND = (SUBMIT, PASS, PUBLISH)


def after_save(user, article):
    """The steps the story form offers as 保存并… buttons to `user` on `article` now.

    A new story becomes the user's own draft when saved, so it may be submitted
    exactly when the user may create it. Any other story offers the forward
    steps the user may start on it as it is stored.
    """
    if article is None or article.pk is None:
        return [SUBMIT] if permissions.can_create(user) else []
    return [t for t in available(user, article) if t in SAVE_AND]
