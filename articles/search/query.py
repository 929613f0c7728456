"""Querying the index: a reader's words against every published story, best first.

A query is folded and segmented the way the stories are, and every word must
match (a long word may be matched by all of its search-mode parts instead). A
union body's short name or alias in the query stands for itself as one word, so
市总 finds the stories tagged with 北京市总工会 (whose aliases hold it). A query of
Latin letters only that finds nothing is tried as pinyin (gonghui, zhang jing,
sjs) against headlines and names.

Ranking: stories whose heading holds every word first, then the others; within
each, the newest first. Both come from the inverted index (`SearchTerm`): the
rows of one term (the rarest of the query, `t:` for heading hits) are read in
key order, newest first, each checked for the other words by one probe of the
same key, and the read stops at the page's LIMIT. Nothing gathers or sorts all
matches, so the top page costs the same for 工会 (nearly every story) as for a
rare word, on a thousand stories or a million. The count reads at most
COUNT_CAP + 1 index entries ("1,000+" beyond), the facets the newest FACET_SAMPLE
matches. Results and facets go through `Article.objects.published()` at the end,
like every public page; the count relies on the index holding listed stories only.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..checks.text import fold, original_span
from ..models import Article, SearchTerm, UnionBody
from .index import TERM_LENGTH, _clean, article_text, phrase_term, tokenizer

MAX_QUERY_WORDS = 8
COUNT_CAP = 1000  # a result count is exact up to here, then "1,000+"
FACET_SAMPLE = 200  # facets are counted among the newest this many matches
TITLE, TEXT = 2, 1  # search_score: heading holds every word / text does
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 30)  # dates a filter is clamped to
_LATIN_QUERY = re.compile(r"[a-z]+(?: +[a-z]+)*")


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words (all optional)."""

    union: UnionBody | None = None  # with its sub-bodies
    reporter: object | None = None
    date_from: object | None = None  # dates, Beijing time, inclusive
    date_to: object | None = None

    def groups(self):
        groups = []
        if self.union is not None:
            groups.append([(f"u:{self.union.pk}",)])
        if self.reporter is not None:
            groups.append([(f"r:{self.reporter.pk}",)])
        return groups

    def bounds(self):
        """(earliest, latest) listing time: the dates in Beijing time, latest no later than now."""
        now = timezone.now()
        earliest = latest = None

        def moment(day, at):  # year 1 or 9999 would overflow on the way to UTC
            return timezone.make_aware(datetime.combine(min(max(day, FIRST_DAY), LAST_DAY), at))

        if self.date_from:
            earliest = moment(self.date_from, time.min)
        if self.date_to:
            latest = moment(self.date_to, time.max)
        return earliest, min(latest, now) if latest else now


# --- Parsing ----------------------------------------------------------------------


def _directory_phrases(directory):
    """Short names and aliases of every union body, folded, longest first."""
    phrases = set()
    for body in directory.by_pk.values():
        for phrase in [body.short_name, *body.alias_list()]:
            term = phrase_term(phrase)
            if len(term) > 1:
                phrases.add(term)
    return sorted(phrases, key=len, reverse=True)


def query_words(query, directory=None):
    """The query's word groups: [(word, parts)], folded; the story must hold each word
    or all of its parts (石景山区 → 石景, 景山, 山区, 石景山), so the query does not
    depend on jieba cutting the story's sentence the same way as the bare query.
    A union body's short name or alias stays one word (市总, not 市 + 总)."""
    folded = " ".join(_clean([fold(query or "")[0]]))
    pieces = []
    if folded and directory is None:
        directory = UnionBody.objects.directory()
    for phrase in _directory_phrases(directory) if folded else []:
        if phrase in folded:
            pieces.append(phrase)
            folded = folded.replace(phrase, " ")
    words = []
    for word in pieces + list(_clean(tokenizer().cut(folded))):
        if any(word == w for w, _ in words):
            continue
        parts = []
        if len(word) > 2 and word not in pieces:
            parts = [p for p in _clean(tokenizer().cut_for_search(word)) if p != word and len(p) > 1]
        words.append((word, parts))
    return words[:MAX_QUERY_WORDS]


def _word_groups(words):
    def term(word):
        return word[:TERM_LENGTH]  # as the index stores a very long word

    return [[(term(word),), tuple(map(term, parts))] if parts else [(term(word),)] for word, parts in words]


def _pinyin_groups(query):
    """A Latin-letter query as pinyin: the letters run together (zhangjing), or each part."""
    folded = " ".join(fold(query or "")[0].split())
    if not _LATIN_QUERY.fullmatch(folded):
        return []
    parts = folded.split()
    alternatives = [(f"p:{''.join(parts)}",)]
    if 1 < len(parts) <= MAX_QUERY_WORDS:
        alternatives.append(tuple(f"p:{part}" for part in parts))
    return [alternatives]


# --- Reading the index ----------------------------------------------------------------


def _title_term(term):
    """The heading's row for a word; filters and pinyin have one kind of row."""
    return term if ":" in term else f"t:{term}"


class _Scanner:
    """SQL over SearchTerm: the rows of a driving term in key order, other terms probed."""

    def __init__(self, groups, bounds):
        self.groups = groups
        self.earliest, self.latest = bounds
        self.table = connection.ops.quote_name(SearchTerm._meta.db_table)
        self._counts = None
        # Pinyin and filters have one kind of row (no `t:` twin): when every term is
        # such, the heading scan already found every match.
        self.headings_only = all(_title_term(t) == t for group in groups for alt in group for t in alt)

    def _probe(self, term, params):
        params.append(term)
        return (f"EXISTS (SELECT 1 FROM {self.table} q WHERE q.term = %s"
                " AND q.published_at = p.published_at AND q.article_id = p.article_id)")

    def _all_of(self, terms, params, title):
        terms = [_title_term(t) if title else t for t in terms]
        return " AND ".join(self._probe(t, params) for t in terms) or "1 = 1"

    def _group(self, group, params, title):
        return "(" + " OR ".join(f"({self._all_of(alt, params, title)})" for alt in group) + ")"

    def counts(self):
        """{term: its rows, up to COUNT_CAP + 1}: the rarest term drives the scan (one query;
        none when the query is one term)."""
        if self._counts is None:
            terms = sorted({t for group in self.groups for alt in group for t in alt})
            if len(terms) == 1:
                self._counts = {terms[0]: None}  # nothing to choose: not counted
                return self._counts
            selects = [f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {self.table}"
                       f" WHERE term = %s LIMIT {COUNT_CAP + 1}) c)" for _ in terms]
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(selects), [x for t in terms for x in (t, t)])
                self._counts = dict(cursor.fetchall())
        return self._counts

    def certainly_empty(self):
        """True when some word has no alternative whose terms all have rows: nothing can
        match, and no scan need run (a pinyin query's first try as plain words, say)."""
        counts = self.counts()
        return any(all(any(counts.get(t) == 0 for t in alt) for alt in group) for group in self.groups)

    def _plan(self):
        """(driving group, [(driving term, other terms of its alternative)])."""
        counts = self.counts()

        def count(term):
            return counts.get(term) or 0

        def cost(group):
            return sum(min(map(count, alt)) for alt in group)

        driver = min(self.groups, key=lambda g: (len(g), cost(g)))
        runs = []
        for alt in driver:
            lead = min(alt, key=count)
            runs.append((lead, [t for t in alt if t != lead]))
        return driver, runs

    def scan(self, limit, title, exclude_title=False, after=None):
        """[(published_at, article_id)] newest first: matches whose heading holds every
        word (`title`), or any matches (`exclude_title`: but not those)."""
        rows = {}
        for sql, params in self.scan_sql(limit, title, exclude_title, after):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for published_at, article_id in cursor.fetchall():
                    rows[article_id] = (published_at, article_id)
        return sorted(rows.values(), reverse=True)[:limit]

    def matches_sql(self, limit):
        """(sql, params) selecting the `article_id` of the newest `limit` matches of each
        alternative (together at most `limit` times their number), for a subquery."""
        parts, params = [], []
        for i, (sql, run_params) in enumerate(self.scan_sql(limit, title=False)):
            parts.append(f"SELECT m{i}.article_id FROM ({sql}) m{i}")
            params += run_params
        return " UNION ".join(parts), params

    def scan_sql(self, limit, title, exclude_title=False, after=None):
        """[(sql, params)] of `scan()`: one query per alternative of the driving group."""
        driver, runs = self._plan()
        queries = []
        for lead, rest in runs:
            moment = connection.ops.adapt_datetimefield_value  # SQLite compares text: its format
            params = [_title_term(lead) if title else lead, moment(self.latest)]
            sql = [f"SELECT p.published_at, p.article_id FROM {self.table} p"
                   " WHERE p.term = %s AND p.published_at <= %s"]
            if self.earliest is not None:
                sql.append("AND p.published_at >= %s")
                params.append(moment(self.earliest))
            if after is not None:
                # The redundant bound starts the index scan at the cursor.
                sql.append("AND p.published_at <= %s"
                           " AND (p.published_at < %s OR (p.published_at = %s AND p.article_id < %s))")
                params += [moment(after[0])] * 3 + [after[1]]
            if rest:
                sql.append("AND " + self._all_of(rest, params, title))
            for group in self.groups:
                if group is not driver:
                    sql.append("AND " + self._group(group, params, title))
            if exclude_title:
                sql.append("AND NOT (" + " AND ".join(self._group(g, params, True) for g in self.groups) + ")")
            sql.append(f"ORDER BY p.published_at DESC, p.article_id DESC LIMIT {int(limit)}")
            queries.append((" ".join(sql), params))
        return queries


# --- Results ---------------------------------------------------------------------


class Summary(NamedTuple):
    """What the results page says above the results."""

    count: int  # exact up to COUNT_CAP
    capped: bool  # more than COUNT_CAP match
    facets: list  # [(union body, matches)], most first
    facets_among: int | None  # the facets count only the newest this many matches


@dataclass
class Search:
    """A reader's search: its words and filters, read page by page from the index."""

    query: str
    filters: Filters = field(default_factory=Filters)
    words: list = field(default_factory=list)  # [(word, parts)], for highlighting
    pinyin: bool = False  # found by pinyin: nothing to highlight
    groups: list = field(default_factory=list)
    directory: object = None  # the union directory (one query), shared with the facets

    def __bool__(self):
        return bool(self.groups)

    def _scanner(self):
        if getattr(self, "_scanner_cache", None) is None:  # one count of the terms per search
            self._scanner_cache = _Scanner(self.groups + self.filters.groups(), self.filters.bounds())
        return self._scanner_cache

    def ranked(self, limit, after=None):
        """[(score, published_at, article_id)] best first, after the cursor
        (score, published_at, article_id) if given; at most `limit`."""
        if not self.groups:
            return []
        scanner = self._scanner()
        if scanner.certainly_empty():
            return []
        rows = []
        if after is None or after[0] >= TITLE:
            cursor = after[1:] if after else None
            rows += [(TITLE, *row) for row in scanner.scan(limit, title=True, after=cursor)]
        if len(rows) < limit and not scanner.headings_only:
            # (Otherwise the scan below would walk every row of its term to exclude them all.)
            cursor = after[1:] if after and after[0] == TEXT else None
            rows += [(TEXT, *row) for row in
                     scanner.scan(limit - len(rows), title=False, exclude_title=True, after=cursor)]
        return rows

    def page(self, number, size, queryset=None):
        """(stories of page `number`, whether another follows): the index is read to
        the page's end, only the page's stories are loaded."""
        ranked = self.ranked(number * size + 1)
        start = (number - 1) * size
        return self._load(ranked[start:start + size], queryset), len(ranked) > number * size

    def articles(self, limit, after=None, queryset=None):
        """The published stories of `ranked()`, in its order, each with `search_score`."""
        return self._load(self.ranked(limit, after), queryset)

    def _load(self, ranked, queryset=None):
        if not ranked:
            return []
        queryset = Article.objects.published() if queryset is None else queryset
        found = {a.pk: a for a in queryset.filter(pk__in=[pk for _, _, pk in ranked])}
        results = []
        for score, _, pk in ranked:
            if pk in found:
                found[pk].search_score = score
                results.append(found[pk])
        return results

    def _count_sql(self):
        """(sql, params) counting the matches up to COUNT_CAP + 1 from the index alone: a
        story has rows exactly while it is listed (its saves keep them in step) and the
        scan stops at its time bound, so a single word's count is one contiguous range
        of the key, at most COUNT_CAP + 1 entries, on a thousand stories or a million."""
        sql, params = self._scanner().matches_sql(COUNT_CAP + 1)
        return f"SELECT COUNT(*) FROM ({sql}) counted", params

    def _sample(self):
        """(matches up to COUNT_CAP + 1, {published story id: [its union body ids]} for the
        newest FACET_SAMPLE matches): one query, the index's scans as its subqueries.
        The sample's stories are checked against `published()` (they become links to a
        filtered page); the count rides along as a scalar subquery, computed once."""
        if not self.groups or self._scanner().certainly_empty():
            return 0, {}
        sql, params = self._scanner().matches_sql(FACET_SAMPLE)
        matched = (Article.objects.published().filter(pk__in=RawSQL(sql, params))
                   .annotate(matches=RawSQL(*self._count_sql()))
                   .order_by("-published_at", "-pk")  # the index's order (listing time, id)
                   .values_list("matches", "pk", "union_links__union_body_id"))
        count, links = 0, {}
        for count, pk, union_id in matched:
            if pk not in links and len(links) >= FACET_SAMPLE:
                break  # several alternatives (pinyin) may bring more than the sample
            links.setdefault(pk, []).append(union_id)
        return count, links

    def summary(self, directory=None):
        """How many stories match (exact up to COUNT_CAP) and [(union body, count)]
        among them, bodies counting their sub-bodies' stories, most first.

        Facets are counted among the newest FACET_SAMPLE matches (`facets_among` says
        so when there are more): each needs its union links read, scattered over the
        archive, so a cap keeps a rare word's page as cheap on a million stories as on
        ten thousand, where it has a few dozen matches."""
        matches, links = self._sample()
        directory = directory or self.directory or UnionBody.objects.directory()
        per_body = {}
        for article_id, union_ids in links.items():
            for union_id in union_ids:
                for above in directory.lineage_ids(union_id):
                    per_body.setdefault(above, set()).add(article_id)
        facets = sorted(((directory.by_pk[pk], len(found)) for pk, found in per_body.items()),
                        key=lambda item: (-item[1], item[0].name))
        return Summary(min(matches, COUNT_CAP), matches > COUNT_CAP, facets,
                       FACET_SAMPLE if matches > FACET_SAMPLE else None)


def search_articles(query, filters=None, directory=None):
    """The Search for `query` (folded, segmented; pinyin when plain words find nothing).

    Falsy when the query has no words. Starts from `published()` like every public page.
    """
    filters = filters or Filters()
    directory = directory or UnionBody.objects.directory()
    words = query_words(query, directory)
    found = Search(query=query, filters=filters, words=words, groups=_word_groups(words), directory=directory)
    if not found:
        return found
    pinyin = _pinyin_groups(query)
    if pinyin and not found.ranked(1):
        return Search(query=query, filters=filters, words=[], pinyin=True, groups=pinyin, directory=directory)
    return found


# --- Highlighting -------------------------------------------------------------


def _marker(words):
    terms = {w for w, _ in words} | {p for _, parts in words for p in parts}
    terms = sorted((t for t in terms if t), key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms))


def _hits(text, words):
    """Spans of `text` (as written) where a query word matches its folded form."""
    marker = _marker(words)
    if marker is None or not text:
        return []
    folded, positions = fold(text)
    spans = []
    for match in marker.finditer(folded):
        start, end = original_span(positions, match.start(), match.end())
        if spans and start <= spans[-1][1]:  # adjacent or overlapping: one mark (集体协商)
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text, words):
    """`text` with the query's words wrapped in <mark>: matched on the plain text
    (folded, so 總工會 is marked for 总工会), then escaped once, piece by piece —
    a search for lt or quot never marks inside an entity."""
    text = text or ""
    out, last = [], 0
    for start, end in _hits(text, words):
        out += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def excerpt(article, words, length=90):
    """A piece of the lead/body around the first hit, highlighted."""
    text = re.sub(r"\s+", " ", article_text(article)).strip()
    hits = _hits(text, words)
    start = max(0, hits[0][0] - length // 3) if hits else 0
    piece = text[start:start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(escape(prefix) + highlight(piece, words) + escape(suffix))
