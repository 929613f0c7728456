"""Querying the index: a reader's words against every published story, best first.

A query is segmented the same way as the stories and every word must match a
whole word of the article. On PostgreSQL the match runs as full-text search
over the pre-segmented words (a stored `tsv` column, `to_tsvector('simple',
tokens)`, with a GIN index, migration 0009); on SQLite as a whole-word LIKE.
Both rank the same way among the newest matches: title hits first, then hits
in the text, then the newest story.

Public code searches through `search_articles()`, which starts from
`Article.objects.published()` like every public page.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import Article, SearchEntry
from .index import _clean, article_text, tokenizer

TITLE_WEIGHT = 10
MAX_QUERY_WORDS = 8
# Ranking looks at the newest matches only. A common word (工会, 职工) matches
# nearly every story; ranking all of them would cost a sort of the whole
# archive on each search. A reader looking for a story finds it among the
# newest few hundred matches, or adds a word.
RANKED_CANDIDATES = 300


def query_words(query):
    """The distinct words of a query, each with the parts that may stand in for it.

    Returns [(word, parts)], where `parts` are the search-mode pieces of a long
    word (石景山区 → 石景, 景山, 山区, 石景山): an article matches the word if it
    holds the word itself or all of its parts, so the query does not depend on
    jieba cutting the article's sentence the same way as the bare query.
    """
    words = []
    for word in _clean(tokenizer().cut(query or "")):
        if word in (w for w, _ in words):
            continue
        parts = []
        if len(word) > 2:
            parts = [p for p in _clean(tokenizer().cut_for_search(word)) if p != word and len(p) > 1]
        words.append((word, parts))
    return words[:MAX_QUERY_WORDS]


def _word_present(field, word):
    return Q(**{f"{field}__contains": f" {word} "})


def _alternatives(field, word, parts):
    """Q: `field` (of the entry, or search_entry__… from an article) holds `word`, or all its parts."""
    condition = _word_present(field, word)
    if parts:
        all_parts = Q()
        for part in parts:
            all_parts &= _word_present(field, part)
        condition |= all_parts
    return condition


def _tsquery_text(words):
    """A to_tsquery() expression: every word, or all its parts; lexemes quoted."""

    def lexeme(word):
        return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"

    groups = []
    for word, parts in words:
        if parts:
            groups.append(f"({lexeme(word)} | ({' & '.join(lexeme(p) for p in parts)}))")
        else:
            groups.append(lexeme(word))
    return " & ".join(groups)


def search_articles(query):
    """Published stories matching every word of `query`, best first.

    Of the RANKED_CANDIDATES newest matches, title hits come first, then newest.

    Returns (queryset, words); the queryset is empty when the query has no words.
    """
    words = query_words(query)
    if not words:
        return Article.objects.none(), []
    # The newest matches, from the index table alone: on PostgreSQL its stored
    # tsvector (migration 0009) is checked row by row while walking the
    # published_at index, so a common word costs as little as a rare one.
    entries = SearchEntry.objects.filter(published_at__lte=timezone.now())
    if connection.vendor == "postgresql":
        entries = entries.filter(
            RawSQL("tsv @@ to_tsquery('simple'::regconfig, %s)", [_tsquery_text(words)],
                   output_field=BooleanField())
        )
    else:
        for word, parts in words:
            entries = entries.filter(_alternatives("tokens", word, parts))
    newest = entries.order_by("-published_at").values("article_id")[:RANKED_CANDIDATES]
    articles = Article.objects.published().filter(pk__in=newest)
    score = Value(0)
    for word, parts in words:
        score = score + Case(
            When(_alternatives("search_entry__title_tokens", word, parts), then=Value(TITLE_WEIGHT)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return articles.annotate(search_score=score).order_by("-search_score", "-published_at", "-id"), words


# --- Highlighting -------------------------------------------------------------


def _marker(words):
    terms = {w for w, _ in words} | {p for _, parts in words for p in parts}
    terms = sorted((t for t in terms if t), key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(escape(t)) for t in terms), re.IGNORECASE)


def highlight(text, words):
    """`text` escaped, with the query's words wrapped in <mark>."""
    escaped = escape(text or "")
    marker = _marker(words)
    if marker is None:
        return mark_safe(escaped)
    marked = marker.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(marked.replace("</mark><mark>", ""))  # 集体协商, not 集体·协商


def excerpt(article, words, length=90):
    """A piece of the lead/body around the first hit, highlighted."""
    text = re.sub(r"\s+", " ", article_text(article)).strip()
    start = 0
    lowered = text.lower()
    hits = [lowered.find(w) for w, _ in words if lowered.find(w) >= 0]
    if hits:
        start = max(0, min(hits) - length // 3)
    piece = text[start:start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + highlight(piece, words) + suffix)
