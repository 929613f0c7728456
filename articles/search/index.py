"""Segmenting stories into words, and keeping the index in step.

Chinese has no spaces, so a plain substring match finds 工会 inside 总工会 and a
trigram index cannot see two-character words at all. Instead every article is
folded (NFKC, full-width to half-width, lower case, traditional to simplified:
`articles.checks.text.fold`, the machine check's own folding) and segmented
with jieba (search mode: 石景山区总工会 also yields 石景山, 总工会, 工会 …).

Two tables hold the result:

- `SearchEntry`, one row per story: its heading words and all its words, space
  separated, and its listing time (what the index was built from, for the
  check command and for people reading the database);
- `SearchTerm`, the inverted index: one row per (term, listed story), see
  `story_terms()` for the terms. Only listed stories (published, not deleted)
  have rows, so nothing else can be found, counted or faceted.

`Article.save()` calls `index_article()`, and a change to a story's union bodies
or byline re-indexes it (articles/models/articles.py), so the index changes in
the same transaction as the story.
"""

import functools
import logging
import re
import threading

from pypinyin import Style, lazy_pinyin

from ..checks.text import fold, html_text
from ..models import Article, SearchEntry, SearchTerm, UnionBody

# Words are letters, digits and CJK characters; everything else separates them.
_WORD = re.compile(r"[\w\u3400-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
TERM_LENGTH = 64  # SearchTerm.term's max_length

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


def fold_text(text):
    """`text` folded for matching: 總工會 → 总工会, ＡＢＣ１ → abc1."""
    return fold(text or "")[0]


def _clean(words):
    """Lower-case words, without punctuation and spaces."""
    for word in words:
        for part in _WORD.findall(word.lower()):
            yield part


def segment_for_index(text):
    """All words of `text`, folded, in search mode (long words and their parts), in order.

    Segmented line by line: a sentence never spans lines, and repeated lines
    (bylines, boilerplate, re-saved stories) come from a small memo.
    """
    if not text:
        return []
    words = []
    for line in fold_text(text).splitlines():
        words.extend(_segment_line(line))
    return words


@functools.lru_cache(maxsize=4096)
def _segment_line(line):
    return tuple(_clean(tokenizer().cut_for_search(line))) if line.strip() else ()


def article_text(article):
    """The plain text of an article's lead and body (the body is sanitised HTML)."""
    return "\n".join(part for part in (article.lead, html_text(article.body)) if part)


def heading_text(article):
    return " ".join(part for part in (article.kicker, article.title, article.subtitle) if part)


def _padded(words):
    # Leading and trailing spaces keep whole words apart for anyone matching ' word '.
    return f" {' '.join(words)} " if words else ""


def entry_values(article):
    """The search entry's fields for `article`."""
    title_words = segment_for_index(heading_text(article))
    words = title_words + segment_for_index(article_text(article))
    return {"title_tokens": _padded(title_words), "tokens": _padded(words),
            "published_at": article.listing_time}


# --- Terms ------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def pinyin_keys(word):
    """Full pinyin and initials of a Chinese word: 工会 → ('gonghui', 'gh'); () for other words."""
    if not word or not _HAN.fullmatch(word):
        return ()
    full = "".join(lazy_pinyin(word))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER))
    return tuple(dict.fromkeys(key for key in (full, initials) if key.isascii() and key.isalpha()))


def phrase_term(phrase):
    """A name or alias as one term: folded, without spaces or punctuation (市总, 石景山工会)."""
    return "".join(_clean([fold_text(phrase)]))


def union_phrases(body):
    """What readers call a union body: its name, short name and aliases."""
    return [p for p in (body.name, body.short_name, *body.alias_list()) if p]


def _name_terms(name):
    """A name as a whole term, its words, and the pinyin of each (张晶 → 张晶, zhangjing, zj)."""
    whole = phrase_term(name)
    words = {whole, *segment_for_index(name)} - {""}
    return words | {f"p:{key}" for word in words for key in pinyin_keys(word)}


def story_terms(article, heading_words, words, union_ids, directory, reporters):
    """Every term of a listed story.

    - its words (folded, search mode), and `t:`word for words of the heading,
      so title hits are found by their own rows, newest first;
    - `p:` full pinyin and initials of heading words, of adjacent pairs of them
      (gonghui xinwen, ghxw) and of its union bodies' and reporters' names;
    - `u:<id>` for each union body it is tagged with and every body above it,
      so a filter by a body includes its sub-bodies; the names, short names
      and aliases of its own bodies as words (全总 finds 中华全国总工会's stories);
    - `r:<id>` for each reporter in its byline, and their names as words.
    """
    terms = set(words) | {f"t:{w}" for w in heading_words}
    hanzi = [w for w in dict.fromkeys(heading_words) if _HAN.fullmatch(w)]
    for word in hanzi + [a + b for a, b in zip(hanzi, hanzi[1:])]:
        terms.update(f"p:{key}" for key in pinyin_keys(word))
    for union_id in union_ids:
        body = directory.by_pk.get(union_id)
        if body is None:
            continue
        terms.update(f"u:{b.pk}" for b in [*directory.ancestors(body), body])
        for phrase in union_phrases(body):
            terms |= _name_terms(phrase)
    for reporter_id, name in reporters:
        terms.add(f"r:{reporter_id}")
        terms |= _name_terms(name)
    return {term[:TERM_LENGTH] for term in terms if term}


def _article_meta(articles):
    """{article id: (union ids, [(reporter id, name)])} for `articles`, in two queries."""
    from ..models import ArticleUnionBody, Byline

    ids = [a.pk for a in articles]
    meta = {pk: ([], []) for pk in ids}
    for article_id, union_id in ArticleUnionBody.objects.filter(article_id__in=ids).values_list(
            "article_id", "union_body_id"):
        meta[article_id][0].append(union_id)
    for article_id, reporter_id, name in Byline.objects.filter(article_id__in=ids).values_list(
            "article_id", "reporter_id", "reporter__name"):
        meta[article_id][1].append((reporter_id, name))
    return meta


def _index_batch(articles, directory, replace=True):
    """Entries and postings for `articles`; `replace` deletes what they had first."""
    articles = list(articles)
    if not articles:
        return
    meta = _article_meta(articles)
    entries, postings = [], []
    for article in articles:
        values = entry_values(article)
        entries.append(SearchEntry(article_id=article.pk, **values))
        if values["published_at"] is None:
            continue  # not listed: no postings, so never found, counted or faceted
        union_ids, reporters = meta[article.pk]
        terms = story_terms(article, values["title_tokens"].split(), values["tokens"].split(),
                            union_ids, directory, reporters)
        postings += [(term, values["published_at"], article.pk) for term in terms]
    ids = [a.pk for a in articles]
    if replace:
        SearchTerm.objects.filter(article_id__in=ids).delete()
        SearchEntry.objects.filter(article_id__in=ids).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=1000)
    _insert_postings(postings)


def _insert_postings(postings):
    """[(term, published_at, article id)] into SearchTerm: about a hundred rows a story,
    so PostgreSQL takes them by COPY (no model instance per row); elsewhere bulk_create."""
    from django.db import connection

    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(c) for c in ("term", "published_at", "article_id"))
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(SearchTerm._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in postings:
                copy.write_row(row)
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term, published_at=moment, article_id=pk) for term, moment, pk in postings],
        batch_size=2000,
    )


def index_article(article):
    """Write (or rewrite) the search entry and postings of a saved article."""
    _index_batch([article], UnionBody.objects.directory())


def index_new(articles, batch_size=2000):
    """Index stories that were just created in bulk (they have no entry yet)."""
    directory = UnionBody.objects.directory()
    articles = list(articles)
    for start in range(0, len(articles), batch_size):
        _index_batch(articles[start:start + batch_size], directory, replace=False)


def index_missing(batch_size=200):
    """Index the stories that have no entry yet (say, stories older than the index);
    returns how many. One cheap query when nothing is missing."""
    return rebuild_index(Article.all_objects.filter(search_entry__isnull=True), batch_size)


def rebuild_index(articles=None, batch_size=200, progress=None):
    """Re-index `articles` (by default every article); returns how many.

    `progress(done)` is called after each batch (the command's progress bar).
    """
    from django.db import transaction

    articles = Article.all_objects.all() if articles is None else articles
    directory = UnionBody.objects.directory()
    count, batch = 0, []
    for article in articles.order_by("pk").iterator(chunk_size=batch_size):
        batch.append(article)
        if len(batch) == batch_size:
            with transaction.atomic():
                _index_batch(batch, directory)
            count += len(batch)
            batch = []
            if progress:
                progress(count)
    with transaction.atomic():
        _index_batch(batch, directory)
    count += len(batch)
    if progress:
        progress(count)
    return count


def stale_entries(articles=None, batch_size=200):
    """Yield (article id, problem) for stories whose entry is missing or differs from
    what indexing them today would write ("缺失" / "过期")."""
    articles = Article.all_objects.all() if articles is None else articles
    directory = UnionBody.objects.directory()
    batch = []
    for article in articles.order_by("pk").iterator(chunk_size=batch_size):
        batch.append(article)
        if len(batch) == batch_size:
            yield from _check_batch(batch, directory)
            batch = []
    yield from _check_batch(batch, directory)


def _check_batch(articles, directory):
    if not articles:
        return
    ids = [a.pk for a in articles]
    meta = _article_meta(articles)
    stored = {e.article_id: e for e in SearchEntry.objects.filter(article_id__in=ids)}
    stored_terms = {}
    for article_id, term, published_at in SearchTerm.objects.filter(article_id__in=ids).values_list(
            "article_id", "term", "published_at"):
        stored_terms.setdefault(article_id, set()).add((term, published_at))
    for article in articles:
        entry = stored.get(article.pk)
        if entry is None:
            yield article.pk, "缺失"
            continue
        values = entry_values(article)
        expected = set()
        if values["published_at"] is not None:
            union_ids, reporters = meta[article.pk]
            terms = story_terms(article, values["title_tokens"].split(), values["tokens"].split(),
                                union_ids, directory, reporters)
            expected = {(term, values["published_at"]) for term in terms}
        current = (entry.title_tokens, entry.tokens, entry.published_at)
        if current != tuple(values.values()) or stored_terms.get(article.pk, set()) != expected:
            yield article.pk, "过期"


# --- Keeping related changes in step ------------------------------------------------


def _reindex_link(sender, instance, raw=False, **kwargs):
    """A story's union body or byline row changed: its terms (u:, r:, names) did too."""
    if raw:
        return
    article = Article.all_objects.filter(pk=instance.article_id).first()
    if article is not None:  # gone with a cascade: its postings went with it
        index_article(article)


def _reindex_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # union_body.articles.add(...): the stories in pk_set changed
        for article in Article.all_objects.filter(pk__in=pk_set or ()):
            index_article(article)
    else:
        index_article(instance)


def connect_signals():
    """Union-body links and bylines are saved after their story (admin inlines, .add()):
    re-index the story then, in the same transaction as the change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from ..models import ArticleUnionBody, Byline

    for model in (ArticleUnionBody, Byline):
        post_save.connect(_reindex_link, sender=model, dispatch_uid=f"search_reindex_{model.__name__}")
        post_delete.connect(_reindex_link, sender=model, dispatch_uid=f"search_reindex_del_{model.__name__}")
    m2m_changed.connect(_reindex_m2m, sender=ArticleUnionBody, dispatch_uid="search_reindex_unions")
    m2m_changed.connect(_reindex_m2m, sender=Byline, dispatch_uid="search_reindex_reporters")
