"""The story admin's newsroom pages: comments, revisions, preview and share links.

A mixin for ArticleAdmin. Every view finds the story through the admin's
queryset (permissions.visible_articles: a story the user may not open is "not
found"), calls one domain function and turns a refusal into a Chinese message.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..models import Article, ShareLink
from ..public import previews
from ..services import comments, permissions, revisions, sharing, workflow
from .tools import local_time


class ArticleNewsroomMixin:
    """Comments, revisions (list, compare, restore), staff preview and share links."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/comment/", wrap(self.comment_view), name="%s_%s_comment" % info),
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name="%s_%s_revisions" % info),
            path("<path:object_id>/revisions/<int:version_id>/restore/", wrap(self.restore_view),
                 name="%s_%s_restore" % info),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="%s_%s_preview" % info),
            path("<path:object_id>/share/", wrap(self.share_view), name="%s_%s_share" % info),
            path("<path:object_id>/share/<int:link_id>/revoke/", wrap(self.revoke_view),
                 name="%s_%s_revoke" % info),
        ] + super().get_urls()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One revision per request: the story and the inline rows saved after it.
        with revisions.recording(user=request.user, comment="在编辑部后台保存"):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        story = extra_context.get("story")
        if story is not None:
            extra_context.update(
                comments=list(comments.thread(story)),
                can_comment=permissions.can_comment(request.user, story),
                revision_count=revisions.history(story).count(),
            )
            if story.status == Article.Status.REVIEW:
                extra_context["approvers"] = permissions.approvers(story)
            if permissions.can_share(request.user, story):
                extra_context.update(
                    share_links=[
                        (link, sharing.url_for(link, request) if link.is_usable() else "")
                        for link in story.share_links.select_related("created_by")[:10]
                    ],
                    share_days=sharing.DAYS,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- helpers

    def _story(self, request, object_id):
        """The story if the user may open it; 404 otherwise (never says whether it exists)."""
        return get_object_or_404(self.get_queryset(request), pk=unquote(object_id))

    def _back(self, article, anchor=""):
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk]) + anchor
        )

    def _refused(self, request, what, error):
        self.message_user(request, f"{what}未成功：{workflow.error_text(error)}", messages.ERROR)

    # --- comments

    def comment_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        try:
            comments.add_comment(article=article, user=request.user, text=request.POST.get("text", ""))
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, "留言", error)
        else:
            self.message_user(request, "留言已发表。", messages.SUCCESS)
        return self._back(article, "#comments")

    # --- revisions

    def revisions_view(self, request, object_id):
        """The list of versions; with ?a=&b= two of them side by side."""
        article = self._story(request, object_id)
        versions = list(revisions.history(article))
        context = {
            **self.admin_site.each_context(request),
            "title": f"《{article.title}》的历史版本",
            "opts": self.opts,
            "story": article,
            "versions": versions,
            "can_restore": permissions.can_restore(request.user, article),
            "needs_note": article.status == Article.Status.PUBLISHED,
        }
        a, b = request.GET.get("a"), request.GET.get("b")
        if a and b:
            old, new = revisions.version_of(article, a), revisions.version_of(article, b)
            if old is None or new is None:
                self.message_user(request, "找不到要比较的版本。", messages.ERROR)
            else:
                if old.revision.date_created > new.revision.date_created:
                    old, new = new, old
                context.update(old=old, new=new, rows=revisions.compare(old, new))
        elif len(versions) >= 2:
            context.update(default_a=versions[1].pk, default_b=versions[0].pk)
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        version = request.POST.get("version", "")
        try:
            workflow.restore_revision(
                article=article, user=request.user, version_id=version_id,
                expected_version=int(version) if version.isdigit() else None,
                note=request.POST.get("note", ""), public_note=request.POST.get("public_note", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, "恢复历史版本", error)
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[article.pk])
            )
        self.message_user(request, f"《{article.title}》已恢复到所选版本（保存为第 {article.version} 版）。",
                          messages.SUCCESS)
        return self._back(article)

    # --- preview and share links

    def preview_view(self, request, object_id):
        return previews.staff_preview(request, self._story(request, object_id))

    def share_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        try:
            link = sharing.create_link(article=article, user=request.user,
                                       days=request.POST.get("days"), note=request.POST.get("note", ""))
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, "生成预览链接", error)
        else:
            self.message_user(
                request, f"已生成预览链接，有效期至 {local_time(link.expires_at)}（见下方“外部预览链接”）。",
                messages.SUCCESS,
            )
        return self._back(article, "#share-links")

    def revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, object_id)
        link = get_object_or_404(ShareLink, pk=link_id, article=article)
        try:
            sharing.revoke_link(link=link, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, "撤销预览链接", error)
        else:
            self.message_user(request, "预览链接已撤销，打开它将显示“找不到页面”。", messages.SUCCESS)
        return self._back(article, "#share-links")
