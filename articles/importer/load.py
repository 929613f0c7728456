"""Turn a parsed page into Article rows, through the model layer, in one transaction.

`plan_import()` reads a page (proposing its marks when it has none, layout.py) and
works out what would happen (for the preview and `--dry-run`) without writing anything; `import_page()` plans again and
writes, all or nothing. Stories already imported (same print date, page and
headline) are skipped, so importing a page twice creates nothing new.
"""

import hashlib
from dataclasses import dataclass, field
from html import escape

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import checks
from ..models import Article, Byline, Reporter
from ..services import epaper, permissions, revisions, roster, workflow
from ..services.roster import unique_slug  # noqa: F401 (kept importable from here)
from .layout import NO_TITLE, propose
from .parser import PageImportError, decode, parse_page
from .recognition import Recognizer


@dataclass
class CreditPlan:
    name: str
    role: str  # a Byline.Role value
    reporter: Reporter | None  # None: a new roster entry will be made for an administrator

    @property
    def is_new(self):
        return self.reporter is None


@dataclass
class StoryPlan:
    story: object  # parser.Story
    credits: list
    union_bodies: list
    existing: Article | None = None
    notes: list = field(default_factory=list)  # layout.Note: where the reading is a guess

    @property
    def will_create(self):
        return self.existing is None


@dataclass
class ImportPlan:
    banner: str
    print_date: object
    print_page: int | None
    status: str
    source_name: str
    stories: list = field(default_factory=list)
    # The page as read: with the marks the importer proposed (or the editor's own), the
    # text the preview shows for correcting and the import reads.
    text: str = ""
    proposed: bool = False  # True: the marks were proposed by the importer (layout.py)
    notes: list = field(default_factory=list)  # layout.Note about the page, not one story

    @property
    def to_create(self):
        return [plan for plan in self.stories if plan.will_create]

    @property
    def skipped(self):
        return [plan for plan in self.stories if not plan.will_create]

    @property
    def new_reporter_names(self):
        names = []
        for plan in self.to_create:
            for credit in plan.credits:
                if credit.is_new and credit.name not in names:
                    names.append(credit.name)
        return names


@dataclass
class ImportResult:
    plan: ImportPlan
    created: list = field(default_factory=list)  # Articles
    new_reporters: list = field(default_factory=list)  # Reporters made for review
    # (Article, why): stories left as drafts because the machine check (机审) refused them
    kept_as_drafts: list = field(default_factory=list)


def plan_import(data, *, print_date, print_page=None, status=Article.Status.DRAFT,
                source_name=""):
    """Parse `data` (bytes or text) and say what importing it would do; writes nothing."""
    if status not in (Article.Status.DRAFT, Article.Status.REVIEW):
        raise PageImportError("导入的稿件只能是草稿或待审。")
    proposal = propose(decode(data))
    page = parse_page(proposal.text)
    plan = ImportPlan(page.banner, print_date, print_page, status, source_name or "粘贴的文字",
                      text=proposal.text, proposed=proposal.proposed)
    titles = {}
    for story in page.stories:
        if story.title in titles:
            raise PageImportError(
                f"同一版面有两篇稿件的主题都是“{story.title}”（另一篇在第 {titles[story.title]} 行）。",
                story.line,
            )
        titles[story.title] = story.line
    roster = _roster([credit.name for story in page.stories for credit in story.credits])
    existing = {
        article.title: article
        for article in Article.objects.filter(
            print_date=print_date, print_page=print_page, title__in=list(titles)
        )
    }
    recognizer = Recognizer()
    for story in page.stories:
        credits = [
            CreditPlan(credit.name, credit.role, _pick(roster.get(credit.name, []), credit.role))
            for credit in story.credits
        ]
        seen, unique_credits = set(), []
        for credit in credits:  # one byline per person (the database insists)
            if credit.name not in seen:
                seen.add(credit.name)
                unique_credits.append(credit)
        story_plan = StoryPlan(
            story, unique_credits, recognizer.bodies_in(story.text()), existing.get(story.title)
        )
        if story_plan.will_create:
            _validate(_article_for(story_plan, plan), story)
        plan.stories.append(story_plan)
    _place_notes(plan, proposal.notes)
    return plan


def fingerprint(text):
    """A short digest of the text a preview showed: a confirmation imports only that text,
    so an edit made after the preview is previewed again before anything is written."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _place_notes(plan, notes):
    """Give each note to the story whose text holds its line; notes above the first story
    are about the page."""
    for note in notes:
        owner = None
        for story_plan in plan.stories:
            if story_plan.story.line <= note.line:
                owner = story_plan
        (owner.notes if owner else plan.notes).append(note)


def import_page(data, *, user, print_date, print_page=None, status=Article.Status.DRAFT,
                source_name=""):
    """Import the page in `data` as `user`; all of it or, on any error, nothing.

    `user` is the editor who imports, or a `permissions.SystemActor` for an
    unattended import. Each story is created and, for review, submitted through
    the workflow, so it is logged and versioned like any other. Returns an ImportResult.
    """
    if not permissions.can_import(user):
        raise workflow.NotAllowed("只有编辑和管理员可以导入版面。")
    with transaction.atomic():
        plan = plan_import(
            data, print_date=print_date, print_page=print_page, status=status,
            source_name=source_name,
        )
        untitled = [p.story for p in plan.to_create if p.story.title == NO_TITLE]
        if untitled:
            raise PageImportError(f"有稿件的主题还是“{NO_TITLE}”：请先补上主题再导入。", untitled[0].line)
        result = ImportResult(plan)
        made = {}  # name -> Reporter created in this import, shared by its stories
        comment = _comment(plan)
        for story_plan in plan.to_create:
            article = _article_for(story_plan, plan)
            _validate(article, story_plan.story)
            # One revision holds the story with its byline and union bodies.
            with revisions.recording(user=user, comment=comment):
                workflow.save_article(article=article, user=user, note=comment)
                for order, credit in enumerate(story_plan.credits):
                    reporter = credit.reporter or made.get(credit.name)
                    if reporter is None:
                        reporter = made[credit.name] = _new_reporter(credit)
                        result.new_reporters.append(reporter)
                    Byline.objects.create(
                        article=article, reporter=reporter, role=credit.role, order=order
                    )
                article.union_bodies.add(*story_plan.union_bodies)
            if plan.status == Article.Status.REVIEW:
                _submit(article, user, result)
            result.created.append(article)
        # The printed page's placements: the e-paper, the 见报 line and the day archive read them.
        epaper.place_imported(result.created, print_date=plan.print_date, print_page=plan.print_page)
    return result


def _submit(article, user, result):
    """Submit an imported story; the importing editor vouches for the 机审 warnings of the
    printed text, but a 禁用 finding keeps the story a draft (imported, not submitted)."""
    try:
        with transaction.atomic():
            workflow.submit(article=article, user=user, acknowledged=checks.ACKNOWLEDGE_ALL)
    except workflow.WorkflowError as error:
        if error.code not in ("checks", "state"):
            raise
        result.kept_as_drafts.append((article, workflow.error_text(error)))


def _comment(plan):
    where = f"{plan.print_date:%Y-%m-%d}"
    if plan.print_page:
        where += f" 第 {plan.print_page} 版"
    return f"导入自 {plan.source_name}（{where}）"


def _article_for(story_plan, plan):
    story = story_plan.story
    return Article(
        kicker=story.kicker,
        title=story.title,
        subtitle=story.subtitle,
        source_label=story.source_label,
        lead=story.lead,
        body="".join(f"<p>{escape(text, quote=False)}</p>" for text in story.body_paragraphs),
        print_date=plan.print_date,
        print_page=plan.print_page,
    )


def _validate(article, story):
    """The model's own rules (lengths, choices) with the headline's line number."""
    try:
        article.full_clean(exclude=["created_by"])
    except ValidationError as error:
        problems = "；".join(
            f"{Article._meta.get_field(name).verbose_name}：{'，'.join(messages)}"
            if name != "__all__" else "，".join(messages)
            for name, messages in error.message_dict.items()
        )
        raise PageImportError(f"稿件“{story.title[:30]}”不能保存：{problems}", story.line) from None


def _roster(names):
    roster = {}
    for reporter in Reporter.objects.filter(name__in=set(names)).order_by("id"):
        roster.setdefault(reporter.name, []).append(reporter)
    return roster


def _pick(candidates, role):
    """Of several reporters with one name, prefer a confirmed active one in the same role."""
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda r: (r.needs_review, not r.is_active, r.role != role, r.pk),
    )


def _new_reporter(credit):
    """An inactive roster entry for a name we do not know, for an administrator to confirm."""
    return roster.pending_reporter(credit.name, credit.role, bio="导入版面时自动建立，请核实身份后启用。")
