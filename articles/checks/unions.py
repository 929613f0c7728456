"""Union-body names one edit away from a name or alias in the directory (北京市总公会).

A name of the directory (or an alias) of five characters or more that ends in
会 is split in two halves; a misspelling one edit away keeps one half intact
(pigeonhole), so an Aho–Corasick automaton over the halves finds where to
look. Around each hit, the stretches as long as the name, one shorter and one
longer are compared with it; one that ends in 会, is one edit away, and is not
itself a known name (nor mostly a name found as written) is a near miss. The
index is rebuilt only when the directory's names change.
"""

import threading

import ahocorasick

from ..importer.recognition import Recognizer
from . import WARN, finding

MIN_LENGTH = 5
_cache = threading.local()


def index(recognizer):
    """(automaton of halves → [(term, body name, is the first half)], known terms)."""
    terms = tuple(sorted((term, body.name) for term, (body, _) in recognizer.terms.items()))
    cached = getattr(_cache, "value", None)
    if cached is None or cached[0] != terms:
        machine = ahocorasick.Automaton()
        halves = {}
        for term, name in terms:
            if len(term) < MIN_LENGTH or not term.endswith("会"):
                continue
            middle = len(term) // 2
            for half, first in ((term[:middle], True), (term[middle:], False)):
                halves.setdefault(half, []).append((term, name, first))
        for half, entries in halves.items():
            machine.add_word(half, (len(half), tuple(entries)))
        if halves:
            machine.make_automaton()
        cached = (terms, (machine if halves else None, {term for term, _ in terms}))
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


def _covered(a, b, taken):
    """Does a name found as written take up (nearly) all of [a, b)? Then the stretch is that
    name, or a piece of it, or it with a character more: not a misspelling. A short alias
    inside it (北京市总 in 北京市总公会) does not count."""
    return any(x < b and a < y and (y - x) >= (b - a) - 1 for x, y in taken)


def check(sources, recognizer=None):
    recognizer = recognizer or Recognizer()
    machine, known = index(recognizer)
    if machine is None:
        return []
    found = []
    for source in sources:
        text = source.text
        taken = [(m.start, m.start + len(m.text)) for m in recognizer.find(text)]
        seen = set()
        for end, (length, entries) in machine.iter(text):
            start = end + 1 - length
            for term, name, first in entries:
                for size in (len(term), len(term) - 1, len(term) + 1):
                    a = start if first else end + 1 - size
                    b = a + size
                    if a < 0 or b > len(text) or (a, b) in seen:
                        continue
                    window = text[a:b]
                    if (window.endswith("会") and window not in known and one_edit(window, term)
                            and not _covered(a, b, taken)):
                        seen.add((a, b))
                        found.append(finding("union", WARN, source, a, b,
                                             "与工会组织名称只差一个字，请核对", name))
    return found
