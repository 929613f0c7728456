"""Does a paragraph cut by a column break read on into the next one?

A printed column ends wherever the line is full, so a paragraph often continues at the
top of the next column, sometimes mid-word (学习成 / 果转化). The parser joins such halves.
But a page pasted from a word processor also loses lines (a text box, a jump to another
page), and then two unrelated halves are joined into nonsense: 抓娃娃机前排 / 代、北汽重卡.
This module tells the two apart well enough to flag the second kind for an editor:

- a printed column never starts with punctuation (Chinese typesetting forbids it at
  the start of a line), so a half that does was not the top of a column;
- otherwise the text around the break is segmented with jieba (the search index's
  dictionary, no guessing of unknown words): a word that spans the break, or a word of
  two or more characters on each side, reads on; a lone character that is not a common
  function word on either side of the break does not.
"""

from dataclasses import dataclass

# Characters that stand alone as words in running text (particles, prepositions,
# measure words, conjunctions): a single one of them next to a break is normal.
FUNCTION_CHARS = set(
    "的了在是和与及等为对将把被从到也都就而并又或以于由向让使给跟同比更很最再还已"
    "个位名次项场所其该本各每此这那之着过地得所中上下内外后前里间来去"
)
# Nothing a column can start with (kinsoku): closing punctuation and stops.
NO_LINE_START = set("，。、；：！？）」』”’》〉】…—·,.;:!?)]}%")
CONTEXT = 8  # characters either side of the break that are segmented


@dataclass(frozen=True)
class Join:
    """Two halves of a paragraph joined across a column break, as the preview shows them."""

    before: str  # the end of the first half
    after: str  # the start of the second half
    line: int  # where the second half starts in the page text
    reads_on: bool  # False: flagged, the halves probably do not belong together


def _is_han(char):
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _words_around(before, after):
    """jieba's words of the text around the break, with where the break falls."""
    from ..search.index import tokenizer  # jieba, loaded once per process

    left, right = before[-CONTEXT:], after[:CONTEXT]
    position, words = 0, []
    for word in tokenizer().cut(left + right, HMM=False):
        words.append((position, word))
        position += len(word)
    return words, len(left)


def spans_word(before, after):
    """Whether a dictionary word runs across the break: the surest sign of a cut paragraph."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or not (_is_han(before[-1]) and _is_han(after[0])):
        return False
    words, cut = _words_around(before, after)
    return any(start < cut < start + len(word) for start, word in words)


def reads_on(before, after):
    """Whether `after` plausibly continues the sentence `before` was cut in."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return True
    if after[0] in NO_LINE_START:
        return False
    if not (_is_han(before[-1]) and _is_han(after[0])):
        return True  # digits, Latin, quotes: nothing to judge by
    words, cut = _words_around(before, after)
    for start, word in words:
        if start < cut < start + len(word):
            return True  # a word runs across the break (学习成 / 果转化 → 成果)
    left_word = next(word for start, word in words if start + len(word) == cut)
    right_word = next(word for start, word in words if start == cut)
    return not any(
        len(word) == 1 and _is_han(word) and word not in FUNCTION_CHARS
        for word in (left_word, right_word)
    )
