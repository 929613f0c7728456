"""Search in Chinese: the index (folding, segmenting, kept in step on save) and the queries."""

from .index import (
    article_text,
    entry_values,
    fold_text,
    index_article,
    index_missing,
    index_new,
    rebuild_index,
    segment_for_index,
    stale_entries,
)
from .query import COUNT_CAP, Filters, Search, excerpt, highlight, query_words, search_articles

__all__ = [
    "COUNT_CAP", "Filters", "Search", "article_text", "entry_values", "excerpt", "fold_text", "highlight",
    "index_article", "index_missing", "index_new", "query_words", "rebuild_index", "search_articles",
    "segment_for_index", "stale_entries",
]
