"""Search in Chinese: the index (segmenting, kept in step on save) and the queries."""

from .index import (
    article_text,
    entry_values,
    index_article,
    index_missing,
    index_new,
    rebuild_index,
    segment_for_index,
)
from .query import excerpt, highlight, query_words, search_articles

__all__ = [
    "article_text", "entry_values", "excerpt", "highlight", "index_article", "index_missing", "index_new", "query_words",
    "rebuild_index", "search_articles", "segment_for_index",
]
