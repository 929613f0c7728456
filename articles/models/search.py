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




class SearchTerm(models.Model):
    """One posting of the inverted index: `term` occurs in listed story `article`.

    A row per (term, story) while the story is listed publicly, none otherwise.
    The primary key (term, published_at, article) is the index every search
    reads: all stories holding a term, newest first, walked in key order and
    stopped at the page's LIMIT; whether a story also holds another term is one
    probe of the same key. So the top page costs the same for a common word as
    for a rare one, and the same on a ten-year archive as on a new one.

    Terms are folded words (总工会), and, marked by a prefix no word can hold:
    `t:` the word is in the heading, `p:` pinyin (full or initials) of a heading
    word or a name, `u:<id>` tagged with that union body or one below it,
    `r:<id>` by that reporter (articles/search/index.py builds them).
    """

    pk = models.CompositePrimaryKey("term", "published_at", "article")
    term = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_terms")

    class Meta:
        verbose_name = "检索词条"
        verbose_name_plural = "检索词条"

    def __str__(self):
        return f"{self.term} → {self.article_id}"
