"""Search in Chinese: a segmented-token index, kept in step by Article.save().

Chinese has no spaces, so a plain substring match finds 工会 inside 总工会 and a
trigram index cannot see two-character words at all. Instead every article is
segmented with jieba (search mode: 石景山区总工会 also yields 石景山, 总工会, 工会 …)
and its words are stored space-separated in one `SearchEntry` row:

- `title_tokens`: kicker, title and subtitle (hits there weigh more);
- `tokens`: all of the above plus the lead and the body's text.

A query is segmented the same way and every word must match a whole word of the
article. On PostgreSQL the match runs as full-text search over the pre-segmented
words (a stored `tsv` column, `to_tsvector('simple', tokens)`, with a GIN
index, migration 0009); on SQLite as a whole-word LIKE. Both rank the same way
among the newest matches: title hits first, then hits in the text, then the
newest story.

Public code searches through `search_articles()`, which starts from
`Article.objects.published()` like every public page.
"""

import functools
import logging
import re
import threading
from html import unescape

from django.db import connection, models
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# Words are letters, digits and CJK characters; everything else separates them.
_WORD = re.compile(r"[\w\u3400-\u9fff\uf900-\ufaff]+")
TITLE_WEIGHT = 10
MAX_QUERY_WORDS = 8
# Ranking looks at the newest matches only. A common word (工会, 职工) matches
# nearly every story; ranking all of them would cost a sort of the whole
# archive on each search. A reader looking for a story finds it among the
# newest few hundred matches, or adds a word.
RANKED_CANDIDATES = 300

_tokenizer = None
_tokenizer_lock = threading.Lock()


def tokenizer():
    """The jieba tokenizer, loaded once per process and quietly.

    Loading the dictionary takes about a second, so it happens on first use
    (not at import time) and only once, guarded by a lock for threaded servers.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                instance.initialize()
                _tokenizer = instance
    return _tokenizer


def _clean(words):
    """Lower-case words, without punctuation and spaces."""
    for word in words:
        for part in _WORD.findall(word.lower()):
            yield part


def segment_for_index(text):
    """All words of `text` in search mode (long words and their parts), in order.

    Segmented line by line: a sentence never spans lines, and repeated lines
    (bylines, boilerplate, re-saved stories) come from a small memo.
    """
    if not text:
        return []
    words = []
    for line in text.splitlines():
        words.extend(_segment_line(line))
    return words


@functools.lru_cache(maxsize=4096)
def _segment_line(line):
    return tuple(_clean(tokenizer().cut_for_search(line))) if line.strip() else ()


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


def article_text(article):
    """The plain text of an article's lead and body (the body is sanitised HTML)."""
    body = unescape(strip_tags((article.body or "").replace("</p>", "</p>\n")))
    return "\n".join(part for part in (article.lead, body) if part)


class SearchEntry(models.Model):
    """One article's segmented words: the search index, one row per article."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True,
        related_name="search_entry",
    )
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    # The story's listing time (Article.listing_time): set while it is published,
    # NULL otherwise. Searches take their newest matches from this table alone.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "articles"
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        indexes = [models.Index(fields=["-published_at"], name="searchentry_pub_idx")]

    def __str__(self):
        return f"检索索引：{self.article_id}"


def _padded(words):
    # Leading and trailing spaces let SQLite match whole words with LIKE '% word %'.
    return f" {' '.join(words)} " if words else ""


def entry_values(article):
    """The search entry's fields for `article` (kept apart so migrations can use it)."""
    heading = " ".join(part for part in (article.kicker, article.title, article.subtitle) if part)
    title_words = segment_for_index(heading)
    words = title_words + segment_for_index(article_text(article))
    return {"title_tokens": _padded(title_words), "tokens": _padded(words),
            "published_at": article.listing_time}


def index_article(article):
    """Write (or rewrite) the search entry of a saved article."""
    SearchEntry.objects.update_or_create(article_id=article.pk, defaults=entry_values(article))


def rebuild_index(batch_size=200):
    """Re-index every article; returns how many were indexed."""
    from .models import Article

    count = 0
    for article in Article.all_objects.order_by("pk").iterator(chunk_size=batch_size):
        index_article(article)
        count += 1
    return count


# --- Querying -----------------------------------------------------------------


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
    from .models import Article

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
