"""Finding the stories on a printed page from its text layer (pure Python, no Django).

A newspaper page sets each story as a headline over the columns of its text:

    kicker      a line somewhat larger than the body, just above the headline
    headline    lines clearly larger than the body (1.35× or more), one or more
    body        body-size lines below the headline, within its width, down to
                the next headline that stands above them

`find_blocks(lines)` returns one Block per headline with the box around its
kicker, headline and body lines (a polygon in page-relative coordinates, as
regions are stored). `match_blocks(blocks, stories)` pairs blocks with stories
by their headlines, best pairs first. `block_page_text(blocks)` writes blocks as
the text importer reads a page (### kicker, ## headline, paragraphs), so drafts
made from a PDF are recognised by articles/importer/parser.py like any import.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

HEADLINE_RATIO = 1.35  # a headline's font is at least this much larger than the body's
KICKER_RATIO = 1.08  # a kicker's font, larger than the body's but smaller than a headline
PADDING = 0.004  # around a region, page-relative
# Headline similarity below this is no match: 朝阳举办职工技能竞赛 and 昌平举办职工技能竞赛
# (two characters of ten apart) score 0.8 and must not pair.
MATCH_THRESHOLD = 0.85
MIN_BODY_CHARS = 60  # a "story" with less text is a masthead, a date line or a page label


@dataclass
class Block:
    """A story as set on the page: kicker, headline, body lines and the box around them."""

    title: str
    kicker: str = ""
    lines: list = field(default_factory=list)  # pdf.Line, body lines in reading order
    left: float = 1.0
    top: float = 1.0
    right: float = 0.0
    bottom: float = 0.0

    def add_box(self, line):
        self.left, self.top = min(self.left, line.left), min(self.top, line.top)
        self.right, self.bottom = max(self.right, line.right), max(self.bottom, line.bottom)

    @property
    def points(self):
        """The block's box as a polygon (clockwise from top left), padded, within 0–1."""
        left, top = max(0.0, self.left - PADDING), max(0.0, self.top - PADDING)
        right, bottom = min(1.0, self.right + PADDING), min(1.0, self.bottom + PADDING)
        return [[round(x, 4), round(y, 4)] for x, y in
                ((left, top), (right, top), (right, bottom), (left, bottom))]

    @property
    def body_chars(self):
        return sum(len(line.text) for line in self.lines)

    def paragraphs(self):
        """Body lines joined into paragraphs: an indented line starts a new one."""
        paragraphs = []
        margins = _column_margins(self.lines)
        for line in self.lines:
            indent = line.left - margins.get(id(line), line.left)
            starts = not paragraphs or indent > 0.5 * _width_of_char(line)
            if starts:
                paragraphs.append(line.text)
            else:
                paragraphs[-1] += line.text
        return paragraphs

    def as_dict(self):
        """What Page.blocks stores."""
        return {"points": self.points, "kicker": self.kicker, "title": self.title,
                "paragraphs": self.paragraphs()}


def _width_of_char(line):
    return (line.right - line.left) / max(1, len(line.text))


def _column_margins(lines):
    """{id(line): the left margin of its column}: lines whose left edges are within
    three characters of each other are one column."""
    margins, columns = {}, []
    for line in sorted(lines, key=lambda line: line.left):
        tolerance = 3 * _width_of_char(line)
        for column in columns:
            if line.left - column[0] <= tolerance:
                column.append(line)
                break
        else:
            columns.append([line.left, line])
    for column in columns:
        for line in column[1:]:
            margins[id(line)] = column[0]
    return margins


def body_size(lines):
    """The body's font size: the size most characters are set in."""
    weight = {}
    for line in lines:
        size = round(line.size, 1)
        weight[size] = weight.get(size, 0) + len(line.text)
    return max(weight, key=weight.get) if weight else 0


def _overlap(a_left, a_right, b_left, b_right):
    return max(0.0, min(a_right, b_right) - max(a_left, b_left))


def find_blocks(lines):
    """One Block per story headline on the page, with its kicker and body lines."""
    if not lines:
        return []
    body = body_size(lines)
    heads = [line for line in lines if line.size >= HEADLINE_RATIO * body]
    kickers = [line for line in lines if KICKER_RATIO * body <= line.size < HEADLINE_RATIO * body]
    rest = [line for line in lines if line.size < KICKER_RATIO * body]

    # Consecutive headline lines, one under the other, are one headline.
    blocks = []
    for line in sorted(heads, key=lambda line: (line.top, line.left)):
        for block in blocks:
            gap = line.top - block.bottom
            if (_overlap(block.left, block.right, line.left, line.right) > 0
                    and -0.002 <= gap <= 0.8 * (line.bottom - line.top)):
                block.title += line.text
                block.add_box(line)
                break
        else:
            block = Block(title=line.text)
            block.add_box(line)
            blocks.append(block)

    # A kicker sits just above its headline, within its width.
    for line in kickers:
        above = [
            block for block in blocks
            if _overlap(block.left, block.right, line.left, line.right) > 0
            and 0 <= block.top - line.bottom <= 1.5 * (line.bottom - line.top)
        ]
        if above:
            block = min(above, key=lambda b: b.top - line.bottom)
            block.kicker = (block.kicker + line.text) if block.kicker else line.text
            block.add_box(line)
        else:
            rest.append(line)  # a subtitle or a larger body line

    # Each body line belongs to the nearest headline above it that it stands under …
    # The headlines' own boxes: the blocks grow as lines join them.
    heads_bottom = {id(block): block.bottom for block in blocks}
    heads = {id(block): (block.left, block.right) for block in blocks}
    left_over = []
    for line in rest:
        above = [
            block for block in blocks
            if heads_bottom[id(block)] <= line.top + 0.002
            and _overlap(heads[id(block)][0], heads[id(block)][1], line.left, line.right) > 0
        ]
        owner = max(above, key=lambda b: heads_bottom[id(b)]) if above else None
        if owner and _overlap(heads[id(owner)][0], heads[id(owner)][1], line.left, line.right) >= (
                0.5 * (line.right - line.left)):
            owner.lines.append(line)
            owner.add_box(line)
        else:
            left_over.append(line)
    # … or, in a column to the right of a headline shorter than its story, to the
    # nearest story on its left whose text reaches down to its height (column 2,
    # then column 3 …).
    while left_over:
        still = []
        for line in left_over:
            beside = [
                block for block in blocks
                if heads_bottom[id(block)] <= line.top + 0.002
                and block.top <= line.top <= block.bottom and block.left <= line.left
            ]
            if beside:
                # The nearest on the left; of stories aligned there, the one just above.
                owner = max(beside, key=lambda b: (round(b.left, 2), heads_bottom[id(b)]))
                owner.lines.append(line)
                owner.add_box(line)
            else:
                still.append(line)
        if len(still) == len(left_over):
            break  # page furniture: a page header, a caption outside any story
        left_over = still
    for block in blocks:
        margins = _column_margins(block.lines)
        block.lines.sort(key=lambda line: (margins.get(id(line), line.left), line.top))
        for line in block.lines:
            block.add_box(line)
    return [block for block in blocks if block.body_chars >= MIN_BODY_CHARS]


_NOT_TEXT = re.compile(r"[\s\u3000]+")


def normalise(text):
    """Headline text compared as printed: full-width folded, spaces and punctuation gone."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in _NOT_TEXT.sub("", text) if unicodedata.category(ch)[0] in "LN")


def similarity(block_title, block_kicker, title, kicker=""):
    """0–1: how well a block's headline (and kicker) reads as a story's."""
    printed, wanted = normalise(block_title), normalise(title)
    if not printed or not wanted:
        return 0.0
    score = difflib.SequenceMatcher(None, printed, wanted, autojunk=False).ratio()
    if score < 1 and (printed in wanted or wanted in printed):
        score = max(score, 0.9)
    if kicker and block_kicker and normalise(kicker) == normalise(block_kicker):
        score = min(1.0, score + 0.01)  # ranks equal headlines; never makes a match by itself
    return score


def match_blocks(blocks, stories, threshold=MATCH_THRESHOLD):
    """[(block index, story)] pairing blocks with stories by headline, best pairs first.

    `stories` have `title` and `kicker`; each block and each story is used once.
    """
    scored = sorted(
        (
            (similarity(block["title"], block.get("kicker", ""), story.title, story.kicker), b, s)
            for b, block in enumerate(blocks)
            for s, story in enumerate(stories)
        ),
        key=lambda row: (-row[0], row[1], row[2]),
    )
    pairs, used_blocks, used_stories = [], set(), set()
    for score, b, s in scored:
        if score < threshold:
            break
        if b in used_blocks or s in used_stories:
            continue
        used_blocks.add(b)
        used_stories.add(s)
        pairs.append((b, stories[s]))
    return pairs


def block_page_text(blocks):
    """Blocks (as stored) written the way the text importer reads a page."""
    parts = []
    for block in blocks:
        if block.get("kicker"):
            parts.append(f"### {block['kicker']}")
        parts.append(f"## {block['title']}")
        parts.append("")
        for paragraph in block.get("paragraphs", []):
            parts.extend([paragraph, ""])
    return "\n".join(parts)
