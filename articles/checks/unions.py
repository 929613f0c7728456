"""Union-body names one edit away from a name or alias in the directory (北京市总公会).

A name of the directory (or an alias) of five characters or more that ends in
会 is split in two halves; a misspelling one edit away keeps one half intact
(pigeonhole), so an Aho–Corasick automaton over the halves finds where to
look. The other half is then at most one edit from the text beside the hit:
each half keeps, for the names it belongs to, their other halves and every
form of them with one character deleted (the symmetric-deletion trick of
SymSpell), so a hit costs a few dictionary look-ups however many names share
the half (every …区总工会 shares 总工会). A stretch found so that ends in 会,
is one edit from the name, and is not itself a known name (nor mostly a name
found as written) is a near miss. The index is rebuilt only when the
directory's names change.
"""

import bisect
import threading

import ahocorasick

from ..importer.recognition import Recognizer
from . import WARN, finding

MIN_LENGTH = 5
_cache = threading.local()


def _deletions(text):
    return {text[:i] + text[i + 1:] for i in range(len(text))}


def index(recognizer):
    """(automaton of halves → {(is first half, other half's length): {key: [(term, name)]}},
    known terms). Keys are the other half and its one-deletion forms."""
    terms = tuple(sorted((term, body.name) for term, (body, _) in recognizer.terms.items()))
    cached = getattr(_cache, "value", None)
    if cached is None or cached[0] != terms:
        halves = {}
        for term, name in terms:
            if len(term) < MIN_LENGTH or not term.endswith("会"):
                continue
            middle = len(term) // 2
            for half, other, first in ((term[:middle], term[middle:], True),
                                       (term[middle:], term[:middle], False)):
                table = halves.setdefault(half, {}).setdefault((first, len(other)), {})
                for key in {other} | _deletions(other):
                    table.setdefault(key, []).append((term, name))
        machine = None
        if halves:
            machine = ahocorasick.Automaton()
            for half, tables in halves.items():
                machine.add_word(half, (len(half), tables))
            machine.make_automaton()
        cached = (terms, (machine, {term for term, _ in terms}))
        _cache.value = cached
    return cached[1]


def one_edit(a, b):
    """Are `a` and `b` exactly one insertion, deletion or substitution apart?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _inside(starts, taken, start, end):
    """Is [start, end] inside one of `taken` (sorted, not overlapping)?"""
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and end < taken[i][1]


def _covered(a, b, taken):
    """Does a name found as written take up (nearly) all of [a, b)? Then the stretch is that
    name, or a piece of it, or it with a character more: not a misspelling. A short alias
    inside it (北京市总 in 北京市总公会) does not count."""
    return any(x < b and a < y and (y - x) >= (b - a) - 1 for x, y in taken)


def _candidates(text, start, end, tables):
    """(window start, window end, term, name) of names one edit from the text around a half
    found at [start, end]."""
    for (first, length), table in tables.items():
        for size in (length - 1, length, length + 1):
            if first:  # the other half follows the hit
                a, b = start, end + 1 + size
                other = text[end + 1:b]
            else:  # it comes before
                a, b = start - size, end + 1
                other = text[max(a, 0):start]
            if a < 0 or b > len(text) or len(other) != size or text[b - 1] != "会":
                continue
            seen = set()
            for key in {other} | _deletions(other):
                for term, name in table.get(key, ()):
                    if term not in seen:
                        seen.add(term)
                        yield a, b, term, name


def check(sources, recognizer=None):
    recognizer = recognizer or Recognizer()
    machine, known = index(recognizer)
    if machine is None:
        return []
    found = []
    for source in sources:
        text = source.text
        taken = [(m.start, m.start + len(m.text)) for m in recognizer.find(text)]  # in order
        names = [(x, y) for x, y in taken if y - x >= MIN_LENGTH]  # not short aliases (北京市总)
        starts = [x for x, _ in names]
        reported = set()
        for end, (length, tables) in machine.iter(text):
            start = end + 1 - length
            if _inside(starts, names, start, end):
                continue  # the half is inside a name found as written: the usual case, cheap
            for a, b, term, name in _candidates(text, start, end, tables):
                window = text[a:b]
                if ((a, b) not in reported and window not in known and one_edit(window, term)
                        and not _covered(a, b, taken)):
                    reported.add((a, b))
                    found.append(finding("union", WARN, source, a, b,
                                         "与工会组织名称只差一个字，请核对", name))
    return found
