"""Segmenting stories into words, and keeping the index (`SearchEntry`) in step.

Chinese has no spaces, so a plain substring match finds 工会 inside 总工会 and a
trigram index cannot see two-character words at all. Instead every article is
segmented with jieba (search mode: 石景山区总工会 also yields 石景山, 总工会, 工会 …)
and its words are stored space-separated in one `SearchEntry` row:

- `title_tokens`: kicker, title and subtitle (hits there weigh more);
- `tokens`: all of the above plus the lead and the body's text.

`Article.save()` calls `index_article()`, so the entry changes in the same
transaction as the story.
"""

import functools
import logging
import re
import threading
from html import unescape

from django.utils.html import strip_tags

from ..models import Article, SearchEntry

# Words are letters, digits and CJK characters; everything else separates them.
_WORD = re.compile(r"[\w\u3400-\u9fff\uf900-\ufaff]+")

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


def article_text(article):
    """The plain text of an article's lead and body (the body is sanitised HTML)."""
    body = unescape(strip_tags((article.body or "").replace("</p>", "</p>\n")))
    return "\n".join(part for part in (article.lead, body) if part)


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


def index_new(articles, batch_size=2000):
    """Index stories that were just created in bulk (they have no entry yet)."""
    SearchEntry.objects.bulk_create(
        [SearchEntry(article=article, **entry_values(article)) for article in articles],
        batch_size=batch_size,
    )


def index_missing(batch_size=200):
    """Index the stories that have no entry yet (say, stories older than the index);
    returns how many. One cheap query when nothing is missing."""
    count = 0
    missing = Article.all_objects.filter(search_entry__isnull=True).order_by("pk")
    for article in missing.iterator(chunk_size=batch_size):
        index_article(article)
        count += 1
    return count


def rebuild_index(batch_size=200):
    """Re-index every article; returns how many were indexed."""
    count = 0
    for article in Article.all_objects.order_by("pk").iterator(chunk_size=batch_size):
        index_article(article)
        count += 1
    return count


