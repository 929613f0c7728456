"""The newsroom's word lists: 禁用 blocks, 提示 warns, 替换 suggests the correct form.

Words and texts are folded alike (text.fold: NFKC, traditional → simplified,
ASCII lower case), so 總工會, ＡＢＣ and abc are the listed 总工会 and ABC. All
active lists go into one Aho–Corasick automaton (pyahocorasick), built when a
list changed — the "wordlists" SetupVersion token says so — and kept by the
process: a story is scanned once, in time linear in its length, whatever the
number of words.
"""

import threading

import ahocorasick

from ..models import ListedWord, SetupVersion
from . import BLOCK, REPLACE, WARN, finding
from .text import fold, fold_word, original_span

_cache = threading.local()
LEVELS = {ListedWord.Level.BLOCK: BLOCK, ListedWord.Level.WARN: WARN, ListedWord.Level.REPLACE: REPLACE}


def automaton():
    """The automaton of every active list's words (None when there are none)."""
    token = SetupVersion.current("wordlists")
    cached = getattr(_cache, "value", None)
    if cached is None or cached[0] != token:
        cached = (token, build(ListedWord.objects.filter(word_list__is_active=True).values_list(
            "word", "level", "replacement", "reason", "word_list__name")))
        _cache.value = cached
    return cached[1]


def build(rows):
    """An automaton over `rows` of (word, level, replacement, reason, list name)."""
    entries = {}
    for word, level, replacement, reason, list_name in rows:
        key = fold_word(word.strip())
        if key:
            entries.setdefault(key, []).append(
                (word.strip(), LEVELS[level], replacement, reason, list_name, fold_word(replacement)))
    if not entries:
        return None
    machine = ahocorasick.Automaton()
    for key, found in entries.items():
        machine.add_word(key, (len(key), tuple(found)))
    machine.make_automaton()
    return machine


def check(sources, machine=None):
    machine = machine if machine is not None else automaton()
    if machine is None:
        return []
    found = []
    for source in sources:
        folded, positions = fold(source.text)
        for end, (length, entries) in machine.iter(folded):
            start = end + 1 - length
            for word, level, replacement, reason, list_name, folded_replacement in entries:
                if level == REPLACE and _already_correct(folded, start, length, folded_replacement):
                    continue
                a, b = original_span(positions, start, end + 1)
                message = reason or {BLOCK: "禁用词", WARN: "请核实用法", REPLACE: "不规范的写法"}[level]
                found.append(finding("wordlist", level, source, a, b, f"{message}（{list_name}）",
                                     replacement if level == REPLACE else ""))
    return found


def _already_correct(folded, start, length, replacement):
    """Is the listed wrong form here part of the correct one (listed 工会, text 工会组织)?"""
    if not replacement:
        return False
    for offset in range(len(replacement) - length + 1):
        if folded.startswith(replacement, start - offset) and replacement[offset:offset + length] == folded[start:start + length]:
            return True
    return False
