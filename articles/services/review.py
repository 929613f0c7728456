"""The review stages (三审三校) as the workflow reads them.

The rows are data (articles/models/review.py): levels in order, the groups
that may act at each, and policies naming the levels a story passes. `setup()`
reads them into small frozen objects, once per change: every process keeps
what it read until the "review" SetupVersion token changes (one short query
per call to find out). `position(article)` says where a story in review stands
on its policy's path: its level, the previous and next levels, whether the
level is the first or the last (which signs off).
"""

import threading
from dataclasses import dataclass

from django.utils.html import strip_tags

from ..models import ArticleEvent, ReviewLevel, ReviewPolicy, SetupVersion

A = ArticleEvent.Action


@dataclass(frozen=True)
class Level:
    id: int
    name: str
    order: int
    description: str
    # (group id, union body id or None: every story)
    reviewers: tuple

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Policy:
    id: int
    name: str
    levels: tuple  # of Level, in order
    is_default: bool
    union_kind: str
    max_chars: int | None

    def __str__(self):
        return self.name

    def matches(self, kinds, chars):
        """Do a story's union-body kinds and text length meet every condition?"""
        if self.union_kind and (not kinds or any(kind != self.union_kind for kind in kinds)):
            return False
        return self.max_chars is None or chars <= self.max_chars

    def describe(self):
        return " → ".join(level.name for level in self.levels)


@dataclass(frozen=True)
class Setup:
    levels: tuple  # every Level, in order
    policies: tuple  # active non-default policies, in priority order
    default: Policy

    def level(self, level_id):
        return next((level for level in self.levels if level.id == level_id), None)

    def policy(self, policy_id):
        for policy in (*self.policies, self.default):
            if policy.id == policy_id:
                return policy
        return self.default

    def policy_for(self, kinds, chars):
        """The first active policy whose conditions the story meets, else the default."""
        return next((p for p in self.policies if p.matches(kinds, chars)), self.default)


_cache = threading.local()


def setup():
    """The current levels and policies (rebuilt only when an administrator changed them)."""
    token = SetupVersion.current("review")
    cached = getattr(_cache, "value", None)
    if cached is None or cached[0] != token:
        cached = (token, _read())
        _cache.value = cached
    return cached[1]


def _read():
    levels = tuple(
        Level(level.pk, level.name, level.order, level.description,
              tuple((r.group_id, r.union_body_id) for r in level.reviewers.all()))
        for level in ReviewLevel.objects.prefetch_related("reviewers")
    )
    by_id = {level.id: level for level in levels}
    policies, default = [], None
    for row in ReviewPolicy.objects.filter(is_active=True).prefetch_related("levels"):
        own = tuple(sorted((by_id[lv.pk] for lv in row.levels.all()), key=lambda lv: lv.order))
        policy = Policy(row.pk, row.name, own or levels, row.is_default, row.union_kind, row.max_chars)
        if row.is_default:
            default = policy
        else:
            policies.append(policy)
    if default is None:  # nobody kept a default: every level, so nothing skips review
        default = Policy(0, "全部审级", levels, True, "", None)
    return Setup(levels, tuple(policies), default)


# --- a story on its path --------------------------------------------------------------


def text_length(article):
    """Characters of the lead and body, without spaces: what a policy's 字数 counts."""
    text = (article.lead or "") + strip_tags(article.body or "")
    return sum(1 for char in text if not char.isspace())


def policy_for(article, current=None):
    """The policy a story is submitted under (its union bodies' kinds, its length)."""
    current = current or setup()
    kinds = {body.kind for body in article.union_bodies.all()}
    return current.policy_for(kinds, text_length(article))


@dataclass(frozen=True)
class Position:
    level: Level | None
    path: tuple
    previous: Level | None
    next: Level | None
    policy: Policy

    @property
    def is_first(self):
        return self.level is not None and self.previous is None

    @property
    def is_last(self):
        return self.level is not None and self.next is None

    @property
    def number(self):
        """第 n 级 on the path (1-based), or None if the level left the path."""
        return self.path.index(self.level) + 1 if self.level in self.path else None


def path_of(article, current=None):
    """The levels `article` passes: those of the policy it was submitted under."""
    current = current or setup()
    policy = current.policy(article.review_policy_id)
    return policy, policy.levels


def position(article, current=None):
    """Where `article` stands: at its review level, or (signed off) at its path's last level."""
    current = current or setup()
    policy, path = path_of(article, current)
    if article.review_level_id is not None:
        level = current.level(article.review_level_id)
    elif article.status == article.Status.PUBLISHED and path:
        level = path[-1]  # a scheduled story is rescheduled at the level that signed it off
    else:
        level = None
    if level is None:
        return Position(None, path, None, None, policy)
    # By order, so a story whose level left its policy meanwhile still has a way on.
    before = [lv for lv in path if lv.order < level.order]
    after = [lv for lv in path if lv.order > level.order]
    return Position(level, path, before[-1] if before else None, after[0] if after else None, policy)


def first_level(policy):
    return policy.levels[0] if policy.levels else None


def review_started(article):
    """Has any reviewer acted on the story since it was last submitted? (撤回送审 ends then.)"""
    last_submit = (article.events.filter(action=A.SUBMITTED).order_by("-created_at", "-id")
                   .values_list("id", flat=True).first())
    if last_submit is None:
        return False
    return article.events.filter(id__gt=last_submit, action__in=[A.PASSED, A.SENT_BACK]).exists()


def passes(article_ids):
    """{article id: {actor id: {level ids they passed}}} for the given stories: one query.

    Only acts at a level count (events written before levels existed have none).
    """
    found = {}
    rows = ArticleEvent.objects.filter(
        article_id__in=article_ids, action__in=ArticleEvent.PASSING_ACTIONS, actor__isnull=False,
    ).exclude(level_name="").values_list("article_id", "actor_id", "level_id")
    for article_id, actor_id, level_id in rows:
        found.setdefault(article_id, {}).setdefault(actor_id, set()).add(level_id)
    return found


def progress(article, events, current=None):
    """[(level, the event that passed it in this round or None, is where the story waits)]
    along the story's path, from its events (oldest first) since it was last submitted."""
    current = current or setup()
    _, path = path_of(article, current)
    passed = {}
    for event in events:
        if event.action == A.SUBMITTED:  # a new round
            passed = {}
        elif event.action in ArticleEvent.PASSING_ACTIONS and event.level_id:
            passed[event.level_id] = event
        elif event.action == A.SENT_BACK:  # the level below has to pass again
            sender = current.level(event.level_id)
            below = [lv for lv in path if sender and lv.order < sender.order]
            if below:
                passed.pop(below[-1].id, None)
    return [(level, passed.get(level.id), level.id == article.review_level_id) for level in path]
