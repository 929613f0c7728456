"""A story as the public will see it, before it is public: for staff and for share links.

Both render the public article template with a 草稿 banner, `noindex` (meta
robots and X-Robots-Tag), `private, no-store` and no referrer (the token must not
leak to sites the story links to). Neither goes through the public page cache
(articles/public/cache.py): these views are never wrapped in `cached_public`.
"""

from django.http import Http404

from ..models import Article
from ..services import sharing
from .views import ArticleDetailView

NO_INDEX = "noindex, nofollow, noarchive"


class DraftPreviewView(ArticleDetailView):
    """The article page of any story, found by the caller (`article_id` kwarg)."""

    share_link = None

    def get_queryset(self):
        return Article.objects.filter(pk=self.kwargs["article_id"]).with_story_parts().with_sign_offs()

    def get_object(self, queryset=None):
        article = self.get_queryset().first()
        if article is None:
            raise Http404
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, share_link=self.share_link, **kwargs)

    def related_stories(self, article):
        """Empty: a draft page shows that draft only, not other stories, public or not."""
        return []

    def news_article(self, article, canonical, lead):
        return {}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = NO_INDEX
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response


def share_link_view(request, token):
    """/preview/<token>/: the one story the link was made for, while the link is valid."""
    link = sharing.link_for_token(token)
    if link is None:
        raise Http404("预览链接无效、已过期或已被撤销。")
    view = DraftPreviewView.as_view(share_link=link)
    return view(request, article_id=link.article_id)


def staff_preview(request, article):
    """The admin's 预览 button (the admin checked that the user may view `article`)."""
    if not isinstance(article, Article):
        raise Http404
    return DraftPreviewView.as_view()(request, article_id=article.pk)
