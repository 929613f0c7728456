"""RSS and Atom feeds: the latest stories, and the latest of one union body (its sub-bodies included)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from ..models import Article, UnionBody
from ..models.text import clean_line, clean_text
from ..selectors import public

FEED_SIZE = 30


class LatestStoriesFeed(Feed):
    title = "工会新闻 · 最新报道"
    description = "工会新闻网站最新发布的报道。"
    language = "zh-cn"

    def link(self):
        return reverse("articles:front")

    def items(self):
        # Back-filled old pages (补录) are archive, not news: never in a feed.
        return Article.objects.for_lists().current()[:FEED_SIZE]

    # Every text passes the XML-safe cleaning again: a story saved before the cleaning rule
    # (models/text.py) must not turn the whole feed into a 500.

    def item_title(self, item):
        return clean_line(f"{item.kicker}｜{item.title}" if item.kicker else item.title)

    def item_description(self, item):
        """The lead as text: RSS and Atom summaries are HTML to a reader, so it is escaped."""
        return escape(clean_text(item.lead or item.subtitle))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_modified

    def item_author_name(self, item):
        return clean_line(item.credit_line()) or None

    def item_categories(self, item):
        return [clean_line(body.name) for body in item.listed_union_bodies()]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed
    subtitle = LatestStoriesFeed.description


class UnionBodyFeed(LatestStoriesFeed):
    """A union body's latest stories, its sub-bodies' included: the stories of its page."""

    def get_object(self, request, slug):
        directory = UnionBody.objects.directory()
        body = directory.get(slug)
        if body is None:
            raise Http404("没有这个工会组织。")
        body.subtree_ids = directory.subtree_ids(body)
        return body

    def title(self, obj):
        return clean_line(f"工会新闻 · {obj.name}")

    def description(self, obj):
        return clean_line(f"{obj.name}及其下属工会的最新报道。")

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        ids, _ = public.union_story_ids(obj.subtree_ids, None, FEED_SIZE)
        return Article.objects.for_lists().current().filter(pk__in=ids)
