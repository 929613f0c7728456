"""The vocabulary of the editorial workflow, written once.

    draft ──submit──▶ review ──publish / schedule──▶ published (or scheduled)
      ▲                 │                                     │
      └──return (reason)┘◀──────────── withdraw (reason) ─────┘

`STATES` names the four states a story can be in, as a newsroom sees them
(a scheduled story is published with a time still to come). `TRANSITIONS` is
the one table of what can happen to a story: which states each transition
leaves from, the permission rule that allows it, its label, whether it needs a
reason or a time, and the workflow service that carries it out. The workflow
services check state and permission from it, `available()` turns it into the
buttons a user is offered, and the change form renders those buttons from the
rows themselves, so a new stage is one more row here (and one service).
"""

from dataclasses import dataclass
from typing import Callable

from ..models import Article
from . import permissions

S = Article.Status


@dataclass(frozen=True)
class State:
    name: str
    label: str
    # Said on the story form to someone who has no button to press here.
    waiting: str = ""


DRAFT = State("draft", "草稿")
REVIEW = State("review", "待审", waiting="稿件正在等待编辑审稿，审稿期间不能修改。")
SCHEDULED = State("scheduled", "定时")
PUBLISHED = State("published", "已发布")
STATES = {state.name: state for state in (DRAFT, REVIEW, SCHEDULED, PUBLISHED)}


def state_of(article):
    """The story's state as the newsroom sees it (a future publication time is 定时)."""
    if article.status == S.PUBLISHED and article.is_scheduled():
        return SCHEDULED
    return STATES[article.status]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple  # the States it leaves from
    rule: Callable  # permissions.can_…(user, article)
    refusal: str  # why `rule` said no, for the person who tried
    service: str  # the function in articles/services/workflow.py that carries it out
    reason: str = ""  # the reason's label when one is required (returns, withdrawals)
    needs_time: bool = False  # asks for a publication time (scheduling)
    danger: bool = False  # takes a story back: shown apart from the forward buttons

    def leaves(self, article):
        return state_of(article) in self.sources

    def allows(self, user, article):
        return self.leaves(article) and self.rule(user, article)

    def wrong_state(self, article):
        """The refusal for a story in a state this transition does not leave from."""
        allowed = "或".join(f"“{state.label}”" for state in self.sources)
        return f"稿件当前为“{state_of(article).label}”，只有{allowed}的稿件可以{self.label}。"

    def run(self, *, article, user, expected_version=None, reason="", at=None):
        """Carry the transition out through its workflow service."""
        from . import workflow

        inputs = {"article": article, "user": user, "expected_version": expected_version}
        if self.reason:
            inputs["reason"] = reason
        if self.needs_time:
            inputs["at"] = at
        return getattr(workflow, self.service)(**inputs)


SUBMIT = Transition(
    "submit", "送审", (DRAFT,), permissions.can_submit, "你只能送审自己的稿件。", service="submit",
)
PUBLISH = Transition(
    "publish", "立即发布", (REVIEW, SCHEDULED), permissions.can_publish,
    "只有编辑可以发布稿件。", service="publish",
)
SCHEDULE = Transition(
    "schedule", "定时发布", (REVIEW, SCHEDULED), permissions.can_publish,
    "只有编辑可以发布稿件。", service="publish", needs_time=True,
)
RETURN = Transition(
    "return", "退回", (REVIEW,), permissions.can_return, "只有编辑可以退回稿件。",
    service="return_to_reporter", reason="退回理由（必填，记者会看到）", danger=True,
)
WITHDRAW = Transition(
    "withdraw", "撤回", (PUBLISHED, SCHEDULED), permissions.can_withdraw, "只有编辑可以撤回稿件。",
    service="withdraw", reason="撤回理由（必填）", danger=True,
)

# In the order the buttons are shown.
TRANSITIONS = {t.name: t for t in (SUBMIT, PUBLISH, SCHEDULE, RETURN, WITHDRAW)}


def available(user, article):
    """The transitions `user` may start on `article` now, in display order."""
    if article.pk is None:
        return []
    return [t for t in TRANSITIONS.values() if t.allows(user, article)]
