"""The search index's rows; articles/search segments the text and queries them."""

from django.db import models

from .articles import Article


class SearchEntry(models.Model):
    """One article's segmented words: the search index, one row per article."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True,
        related_name="search_entry",
    )
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    # The story's listing time (Article.listing_time): set while it is published,
    # NULL otherwise. Searches take their newest matches from this table alone.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        indexes = [models.Index(fields=["-published_at"], name="searchentry_pub_idx")]

    def __str__(self):
        return f"检索索引：{self.article_id}"


