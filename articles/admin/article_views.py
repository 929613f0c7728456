"""The newsroom's pages around a story, as small view functions.

ArticleAdmin.get_urls routes each of them; they take the request, then the admin.
Every view finds its story through the admin's queryset (a story the user may
not open is "not found", never "forbidden", so its existence does not leak),
calls one domain function and turns a refusal into a Chinese message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from .. import checks
from ..importer.load import fingerprint, import_page, plan_import
from ..importer.parser import PageImportError
from ..models import Article, ArticleEvent, Byline, ShareLink
from ..parsing import parse_int
from ..public import previews
from ..selectors import desk
from ..services import comments, permissions, review, revisions, sharing, transitions, workflow
from .common import local_time, parse_local_datetime
from .forms import PageImportForm

REFUSED = (ValidationError, PermissionDenied)


# --- helpers ------------------------------------------------------------------------


def _story(model_admin, request, object_id):
    """The story if the user may open it; 404 otherwise."""
    return get_object_or_404(model_admin.get_queryset(request), pk=parse_int(object_id))


def _version(post):
    """The story version the form was opened at; None when the form sent none.

    A version that is sent but is no number (`²`, 5,000 digits) is refused like a
    stale one: skipping the check would let a crafted POST act on any version.
    """
    raw = post.get("version")
    if raw in (None, ""):
        return None
    version = parse_int(raw)
    if version is None:
        raise ValidationError("稿件版本号无效，请重新打开稿件后再操作。")
    return version


class InTheTrash(Exception):
    """The story the user acted on was moved to the 回收站 meanwhile."""


def _story_to_act_on(model_admin, request, object_id):
    """Like `_story`, but a story someone moved to the 回收站 while this page was open
    is told as such (the user sees why nothing happened), not as "not found"."""
    pk = parse_int(object_id)
    story = model_admin.get_queryset(request).filter(pk=pk).first()
    if story is not None:
        return story
    deleted = permissions.visible_articles(request.user, Article.all_objects.deleted())
    if deleted.filter(pk=pk).exists():
        raise InTheTrash
    raise Http404


def _gone_to_the_trash(model_admin, request):
    model_admin.message_user(request, "这篇稿件已被删除（在回收站中），请先恢复。", messages.ERROR)
    if permissions.can_undelete(request.user):
        return redirect("admin:articles_article_trash")
    return redirect("admin:articles_article_changelist")


def _back(article, anchor=""):
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + anchor)


def _refused(model_admin, request, what, error):
    model_admin.message_user(request, f"{what}未成功：{workflow.error_text(error)}", messages.ERROR)


def _page(model_admin, request, template, title, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        **context,
    }
    return TemplateResponse(request, template, context)


def report_refusals(model_admin, request, refused, what):
    """One warning listing each story an action left alone, with the reason."""
    if refused:
        model_admin.message_user(
            request,
            format_html(
                "以下 {} 篇稿件未{}：<ul>{}</ul>", len(refused), what,
                format_html_join("", "<li>《{}》：{}</li>", refused),
            ),
            messages.WARNING,
        )


# --- the story form's panels ----------------------------------------------------------


def story_panel(model_admin, request, story):
    """What the change form shows around the story: state, review path, buttons, 机审,
    log, thread, links."""
    user = request.user
    events = list(story.events.select_related("actor"))
    last = events[-1] if events else None
    state = transitions.state_of(story)
    report = checks.check_article(story)
    at_stake = state in (transitions.DRAFT, transitions.REVIEW)
    buttons = [
        {
            "step": step,
            "label": step.label_for(story),
            # Opinions are asked at sign-off; a scheduled story's time changes without one.
            "text": step.reason if step.reason and not (state is transitions.SCHEDULED and step.checks) else "",
            "acknowledge": step.checks and state is not transitions.SCHEDULED and bool(report.warnings),
        }
        for step in transitions.available(user, story)
    ]
    context = {
        "story": story,
        "state": state,
        "state_label": transitions.state_label(story),
        "transitions": buttons,
        "checks": report if at_stake else None,
        "policy": review.path_of(story)[0] if story.review_policy_id else None,
        "progress": review.progress(story, events) if state is transitions.REVIEW else None,
        "events": events,
        # The editor's reason stays on the draft until the reporter does something else.
        "returned": last if state is transitions.DRAFT and last and last.action == ArticleEvent.Action.RETURNED else None,
        "default_publish_at": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        "comments": list(comments.thread(story)),
        "can_comment": permissions.can_comment(user, story),
        "revision_count": revisions.history(story).count(),
        "reviewers": permissions.reviewers(story) if state is transitions.REVIEW else None,
        "share_links": None,
    }
    if permissions.can_share(user, story):
        context.update(
            share_links=[
                (link, sharing.url_for(link, request) if link.is_usable() else "")
                for link in story.share_links.select_related("created_by")[:10]
            ],
            share_days=sharing.DAYS,
        )
    return context


# --- workflow -------------------------------------------------------------------------


@require_POST
def transition(request, model_admin, object_id, action):
    """Run one workflow transition from its button; report the result."""
    step = transitions.TRANSITIONS.get(action)
    if step is None:
        raise Http404
    try:
        article = _story_to_act_on(model_admin, request, object_id)
    except InTheTrash:
        return _gone_to_the_trash(model_admin, request)
    post = request.POST
    try:
        version = _version(post)
    except ValidationError as error:
        _refused(model_admin, request, step.label_for(article), error)
        return _back(article)
    take_step(model_admin, request, article, step, expected_version=version,
              reason=post.get("reason", ""), publish_at=post.get("publish_at"),
              acknowledged=post.get("acknowledged", ""))
    return _back(article)


def take_step(model_admin, request, article, step, *, expected_version, reason="", publish_at=None,
              acknowledged="", saved=False):
    """Run `step` on `article` for the request's user and say how it went, in Chinese.

    `saved`: the story form was saved just before (保存并…), so a refusal says the
    typing is kept. Returns whether the step ran.
    """
    label = step.label_for(article)
    try:
        at = parse_local_datetime(publish_at) if step.needs_time else None
        step.run(
            article=article, user=request.user, expected_version=expected_version,
            reason=reason, at=at, acknowledged=acknowledged,
        )
    except REFUSED as error:
        if saved:
            model_admin.message_user(
                request, f"修改已保存（第 {article.version} 版），但{label}未成功：{workflow.error_text(error)}",
                messages.ERROR,
            )
        else:
            _refused(model_admin, request, label, error)
        return False
    if step.needs_time:
        done = f"《{article.title}》将于 {local_time(article.published_at)} 发布。"
    else:
        done = f"《{article.title}》已{'保存并' if saved else ''}{label}。"
    if article.status == Article.Status.REVIEW:
        done += f"现在{transitions.state_label(article)}。"
    model_admin.message_user(request, done, messages.SUCCESS)
    return True


def desk_view(request, model_admin):
    """The desk: editors see what waits at their levels first, then all in review;
    reporters their returned stories and where their stories stand."""
    user = request.user
    if not permissions.is_newsroom_member(user):
        raise PermissionDenied
    mine = list(desk.own_in_progress(user).prefetch_related("union_bodies")[:30])
    held = desk.with_reviewers([story for story in mine if story.review_level_id])
    holders = {story.pk: story.reviewers for story in held}
    for story in mine:
        story.reviewers = holders.get(story.pk)
    context = {
        "is_editor": permissions.is_editor(user),
        "returned": desk.returned_to(user),
        "mine": mine,
    }
    if context["is_editor"]:
        queue = desk.with_reviewers(desk.review_queue(user))
        context.update(
            queue=queue,
            for_me=desk.waiting_for(user, queue),
            upcoming=desk.upcoming(user)[:20],
            counts=desk.counts(user),
        )
    return _page(model_admin, request, "admin/articles/article/desk.html", "编辑部工作台", **context)


# --- the 回收站 ------------------------------------------------------------------------


def trash_view(request, model_admin):
    """Deleted stories the user may restore, newest first, each with a restore button."""
    if not permissions.can_undelete(request.user):
        raise PermissionDenied
    stories = (
        permissions.restorable_articles(request.user, Article.all_objects.deleted())
        .select_related("deleted_by").order_by("-deleted_at", "-id")
    )
    return _page(model_admin, request, "admin/articles/article/trash.html", "回收站",
                 stories=stories[:200])


@require_POST
def undelete(request, model_admin, object_id):
    """Restore one story from the 回收站."""
    article = Article.all_objects.filter(pk=parse_int(object_id)).first()
    if article is None:
        raise Http404
    try:
        workflow.undelete_article(article=article, user=request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        _refused(model_admin, request, "恢复", error)
        return redirect("admin:articles_article_trash")
    model_admin.message_user(
        request, f"《{article.title}》已恢复（{article.get_status_display()}）。", messages.SUCCESS
    )
    return _back(article)


# --- comments, revisions, preview, share links ----------------------------------------


@require_POST
def comment(request, model_admin, object_id):
    article = _story(model_admin, request, object_id)
    try:
        comments.add_comment(article=article, user=request.user, text=request.POST.get("text", ""))
    except REFUSED as error:
        _refused(model_admin, request, "留言", error)
    else:
        model_admin.message_user(request, "留言已发表。", messages.SUCCESS)
    return _back(article, "#comments")


def revisions_view(request, model_admin, object_id):
    """The list of versions; with ?a=&b= two of them side by side."""
    article = _story(model_admin, request, object_id)
    versions = list(revisions.history(article))
    context = {
        "story": article,
        "versions": versions,
        "can_restore": permissions.can_restore(request.user, article),
        "needs_note": article.status == Article.Status.PUBLISHED,
    }
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        old, new = revisions.version_of(article, a), revisions.version_of(article, b)
        if old is None or new is None:
            model_admin.message_user(request, "找不到要比较的版本。", messages.ERROR)
        else:
            if old.revision.date_created > new.revision.date_created:
                old, new = new, old
            context.update(old=old, new=new, rows=revisions.compare(old, new))
    elif len(versions) >= 2:
        context.update(default_a=versions[1].pk, default_b=versions[0].pk)
    return _page(model_admin, request, "admin/articles/article/revisions.html",
                 f"《{article.title}》的历史版本", **context)


@require_POST
def restore(request, model_admin, object_id, version_id):
    article = _story(model_admin, request, object_id)
    try:
        workflow.restore_revision(
            article=article, user=request.user, version_id=version_id,
            expected_version=_version(request.POST),
            note=request.POST.get("note", ""), public_note=request.POST.get("public_note", ""),
        )
    except REFUSED as error:
        _refused(model_admin, request, "恢复历史版本", error)
        return redirect("admin:articles_article_revisions", article.pk)
    model_admin.message_user(
        request, f"《{article.title}》已恢复到所选版本（保存为第 {article.version} 版）。", messages.SUCCESS
    )
    return _back(article)


def preview(request, model_admin, object_id):
    return previews.staff_preview(request, _story(model_admin, request, object_id))


@require_POST
def share(request, model_admin, object_id):
    article = _story(model_admin, request, object_id)
    try:
        link = sharing.create_link(article=article, user=request.user,
                                   days=request.POST.get("days"), note=request.POST.get("note", ""))
    except REFUSED as error:
        _refused(model_admin, request, "生成预览链接", error)
    else:
        model_admin.message_user(
            request, f"已生成预览链接，有效期至 {local_time(link.expires_at)}（见下方“外部预览链接”）。",
            messages.SUCCESS,
        )
    return _back(article, "#share-links")


@require_POST
def revoke(request, model_admin, object_id, link_id):
    article = _story(model_admin, request, object_id)
    link = get_object_or_404(ShareLink, pk=link_id, article=article)
    try:
        sharing.revoke_link(link=link, user=request.user)
    except REFUSED as error:
        _refused(model_admin, request, "撤销预览链接", error)
    else:
        model_admin.message_user(request, "预览链接已撤销，打开它将显示“找不到页面”。", messages.SUCCESS)
    return _back(article, "#share-links")


# --- importing a printed page ----------------------------------------------------------


def import_page_view(request, model_admin):
    """Step 1 upload/paste → step 2 preview → step 3 confirm; errors keep the input."""
    if not permissions.can_import(request.user):
        raise PermissionDenied("只有编辑和管理员可以导入版面。")
    plan, error = None, None
    form = PageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = dict(
            print_date=form.cleaned_data["print_date"],
            print_page=form.cleaned_data["print_page"],
            status=form.cleaned_data["status"],
            source_name=form.cleaned_data["source_name"],
        )
        text = form.cleaned_data["text"]
        try:
            if "confirm" in request.POST and form.cleaned_data["previewed"] == fingerprint(text):
                result = import_page(text, user=request.user, **options)
                _report_import(model_admin, request, result)
                return redirect("admin:articles_article_changelist")
            if "confirm" in request.POST:
                model_admin.message_user(request, "文字在预览后改过了：请核对下面新的预览，再确认导入。",
                                         messages.WARNING)
            plan = plan_import(text, **options)
            # A plain page comes back with the marks the importer proposed: the editor
            # corrects that text (a boundary, a headline) and previews again.
            text = plan.text
        except PageImportError as exc:
            error = str(exc)
        # The text stays on screen (even an uploaded file's), to fix in place or to
        # confirm: the confirm step posts the decoded text back, not the file.
        form = PageImportForm(initial={**options, "text": text,
                                       "previewed": fingerprint(text) if plan else ""})
    return _page(
        model_admin, request, "admin/articles/article/import_page.html", "导入版面",
        form=form, plan=plan, rows=_preview_rows(plan) if plan else [], import_error=error,
    )


def _report_import(model_admin, request, result):
    created, skipped = len(result.created), len(result.plan.skipped)
    model_admin.message_user(
        request,
        f"已导入 {created} 篇稿件（{Article.Status(result.plan.status).label}）"
        + (f"，跳过已存在的 {skipped} 篇" if skipped else "") + "。",
        messages.SUCCESS if created else messages.INFO,
    )
    for article, why in result.kept_as_drafts:
        model_admin.message_user(request, f"《{article.title}》已导入为草稿，未能送审：{why}", messages.WARNING)
    if result.new_reporters:
        names = "、".join(reporter.name for reporter in result.new_reporters)
        model_admin.message_user(
            request, f"新建了待核实的作者：{names}。请管理员在“记者”中核实后启用。", messages.WARNING
        )


def _preview_rows(plan):
    """What the preview table shows for each story."""
    return [
        {
            "plan": story_plan,
            "story": story_plan.story,
            "credits": [
                (credit.name, Byline.Role(credit.role).label, credit.is_new)
                for credit in story_plan.credits
            ],
            "bodies": [body.name for body in story_plan.union_bodies],
        }
        for story_plan in plan.stories
    ]
