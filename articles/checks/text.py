"""What the machine check reads, and how text is folded before words are matched.

Folding makes variants of a word one word: NFKC turns full-width letters,
digits and compatibility forms into their plain forms (ＡＢＣ, ①), OpenCC's
t2s turns traditional characters into simplified ones (總工會 → 总工会), and
ASCII letters are lower-cased. Matches in the folded text are mapped back to
the place in the text as written, so a finding can quote it.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Source:
    field: str
    label: str
    text: str


def html_text(body):
    """The text of sanitised HTML, a line per paragraph."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", body or ""))
    return html.unescape(text).strip()


def sources_of(article):
    """The story's texts the machine check reads, in the order of the form."""
    sources = [
        Source("title", "主题", article.title or ""),
        Source("kicker", "引题", article.kicker or ""),
        Source("subtitle", "副题", article.subtitle or ""),
        Source("lead", "导语", article.lead or ""),
        Source("body", "正文", html_text(article.body)),
    ]
    if article.pk is not None:
        captions = article.photo_links.select_related("photo").order_by("order", "id")
        for number, link in enumerate(captions, start=1):
            sources.append(Source(f"caption-{number}", f"图片说明（图 {number}）", link.photo.caption or ""))
    return [source for source in sources if source.text.strip()]


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold_word(word):
    """A listed word, folded the way texts are."""
    return fold(word)[0]


def fold(text):
    """(folded text, map) where map[i] is the index in `text` of folded character i,
    or None when the folding kept every character in place (the usual case)."""
    positions = None
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) != len(text):
        parts, positions = [], []
        for index, char in enumerate(text):
            part = unicodedata.normalize("NFKC", char)
            parts.append(part)
            positions.extend([index] * len(part))
        folded = "".join(parts)
    simplified = _t2s().convert(folded)
    if len(simplified) != len(folded):  # a phrase changed length: convert character by character
        parts, moved = [], []
        for index, char in enumerate(folded):
            part = _t2s().convert(char)
            parts.append(part)
            moved.extend([positions[index] if positions else index] * len(part))
        simplified, positions = "".join(parts), moved
    return simplified.translate(_ASCII_LOWER), positions


def original_span(positions, start, end):
    """The span of `text` that folded [start, end) came from."""
    if positions is None:
        return start, end
    return positions[start], positions[end - 1] + 1
