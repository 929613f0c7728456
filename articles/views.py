"""Public pages: thin views over the model layer's querysets."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Byline, Reporter, UnionBody

PAGE_SIZE = 20


def bylines_with_reporters():
    return Prefetch("bylines", queryset=Byline.objects.select_related("reporter"))


def public_articles():
    """Published stories with what a list needs, in one query."""
    return (
        Article.objects.published()
        .newest_first()
        .prefetch_related("union_bodies", bylines_with_reporters())
    )


class FrontPageView(ListView):
    template_name = "articles/front.html"
    context_object_name = "articles"

    def get_queryset(self):
        return public_articles()[:PAGE_SIZE]


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().prefetch_related(
            "union_bodies", bylines_with_reporters(), "photo_links__photo__credit_reporter"
        )


class UnionBodyDetailView(ListView):
    """A union body's reports, its sub-bodies' included, newest first."""

    template_name = "articles/union_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.union_body = get_object_or_404(UnionBody, slug=self.kwargs["slug"])
        return public_articles().in_union_subtree(self.union_body)[:PAGE_SIZE]

    def get_context_data(self, **kwargs):
        return super().get_context_data(union_body=self.union_body, **kwargs)


class ReporterDetailView(ListView):
    template_name = "articles/reporter_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.reporter = get_object_or_404(Reporter, slug=self.kwargs["slug"])
        return public_articles().by_reporter(self.reporter)[:PAGE_SIZE]

    def get_context_data(self, **kwargs):
        return super().get_context_data(reporter=self.reporter, **kwargs)


class PhotoNewsView(ListView):
    """Photo news: published stories with a lead photo, newest first (/photos/)."""

    template_name = "articles/photo_list.html"
    context_object_name = "photo_stories"
    paginate_by = 24

    def get_queryset(self):
        return Article.objects.photo_stories()
