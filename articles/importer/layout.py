"""Propose the marks of a page pasted without them, as it comes from Word or WPS.

A page typed for print has no `##` marks: a headline is a short line without a full
stop, a story's text starts with its dateline (本报讯（记者 张晶）…) or a byline line of
its own (本报记者 张晶 通讯员 李明), a photo story ends with its credit (本报记者 边磊
摄影报道), and a column break cuts paragraphs anywhere. `propose(text)` reads those
signs and writes the page out *with* the marks the parser knows (`# ` banner, `### `
引题, `## ` 主题, `——` 副题), so the editor sees and corrects one text, and the import
reads only that text: nothing the editor pasted is dropped, and a correction is an edit
of a line, not a form of its own. Where the reading is a guess, a `Note` says so, with
the line of the proposed text it is about.

A text that already has marks (a line starting with `#`) is taken as it is: the `##`
marks stay supported, and a half-marked text is the editor's, not a guess to redo.
"""

import re
from dataclasses import dataclass, field

from .joins import reads_on, spans_word
from .parser import _BOLD_LABEL, _PHOTO_CREDIT, _PLAIN_LABEL, _SUBTITLE, BYLINE_LINE, SUBHEAD

__all__ = ["Note", "Proposal", "is_marked", "propose"]

HEAD, SUBTITLE, DATELINE, BYLINE, CREDIT, FURNITURE, BODY = (
    "head", "subtitle", "dateline", "byline", "credit", "furniture", "body",
)
MAX_HEADLINE = 40  # characters; a longer line without a full stop is text
MAX_HEAD_BLOCK = 4  # 引题, 主题, 副题 and one more is the most a headline has
NO_TITLE = "（待补主题）"
# Page furniture a word processor carries along: dates, page numbers, editors' credits.
_FURNITURE = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十]+\s*版|星期[一二三四五六日天]|责任编辑|责编|美编|版式|校对|"
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
# A slogan banner over the page: two phrases with a space between them.
_SLOGAN = re.compile(r"^[\u4e00-\u9fff]{4,}[ \u3000]+[\u4e00-\u9fff]{4,}")


@dataclass(frozen=True)
class Note:
    line: int  # in the proposed text
    message: str


@dataclass
class Proposal:
    text: str  # the page with its marks: what is previewed, corrected and imported
    notes: list = field(default_factory=list)  # Note: where the proposal is a guess
    proposed: bool = True  # False: the text brought its own marks and is kept as it is


def is_marked(text):
    """Whether the text carries marks of its own (`## 主题`, `# 版面`, `### 引题`, or a lone
    `#`): then it is the editor's reading, taken as it is and checked by the parser."""
    return any(line.strip().startswith("#") for line in text.split("\n"))


def _kind(text):
    if _PHOTO_CREDIT.match(text):
        return CREDIT
    if BYLINE_LINE.match(text):
        return BYLINE
    if _BOLD_LABEL.match(text) or _PLAIN_LABEL.match(text):
        return DATELINE
    if _SUBTITLE.match(text) and len(text) <= MAX_HEADLINE + 2:
        return SUBTITLE
    if len(text) <= MAX_HEADLINE and _FURNITURE.search(text):
        return FURNITURE
    if len(text) <= MAX_HEADLINE and "。" not in text and text[-1] not in "，、；：,;:。…" \
            and not SUBHEAD.match(text):
        return HEAD
    return BODY


def _ends_sentence(text):
    from .parser import ends_sentence

    return ends_sentence(text)


@dataclass
class _Unit:
    text: str
    kind: str


@dataclass
class _Story:
    heads: list  # _Unit: HEAD and SUBTITLE lines over the story
    units: list  # _Unit: byline, dateline, text, credit
    notes: list = field(default_factory=list)  # (unit or None, message)


def propose(text):
    """The page with proposed marks, and notes where it is unsure; see the module docstring."""
    if is_marked(text):
        return Proposal(text, [], proposed=False)
    units = [_Unit(line.strip(), _kind(line.strip())) for line in text.split("\n") if line.strip()]
    starts = _story_starts(units)
    banner, stories = _split(units, starts)
    return _write(banner, stories)


def _is_tail(units, index):
    """Whether unit `index` (short, headline-like) is rather the end of the paragraph
    before it, cut by a column break: that paragraph stops mid-sentence and reads on."""
    if index == 0:
        return False
    before = units[index - 1]
    return before.kind == BODY and not _ends_sentence(before.text) \
        and reads_on(before.text, units[index].text)


def _head_block(units, anchor, floor):
    """The HEAD/SUBTITLE lines right above `anchor` (and a byline line between), down to `floor`."""
    start = anchor
    if start - 1 >= floor and units[start - 1].kind == BYLINE and units[anchor].kind == DATELINE:
        start -= 1
    while (start - 1 >= floor and anchor - start < MAX_HEAD_BLOCK
           and units[start - 1].kind in (HEAD, SUBTITLE) and not _is_tail(units, start - 1)):
        start -= 1
    return start


def _story_starts(units):
    """{index of a story's first unit: why (None when sure, else a note)}."""
    starts = {}
    floor = 0
    for index, unit in enumerate(units):
        if index < floor:
            continue
        if unit.kind == DATELINE or (unit.kind == BYLINE and index + 1 < len(units)
                                     and units[index + 1].kind in (BODY, DATELINE)):
            start = _head_block(units, index, floor)
            if unit.kind == BYLINE and (start == index or units[index + 1].kind == DATELINE):
                continue  # a byline under a headline, its dateline next: that anchors the story
            starts[start] = None  # a missing headline is noted when the headline is written
            floor = index + 1
        elif unit.kind == CREDIT and "摄影报道" in unit.text:
            # A photo story: headline, caption (a few paragraphs), credit.
            caption = index
            while caption - 1 >= floor and units[caption - 1].kind == BODY and index - caption < 3:
                caption -= 1
            start = _head_block(units, caption, floor)
            if start < caption:
                starts[start] = None
            floor = index + 1
        elif (unit.kind == HEAD and index + 2 < len(units) and units[index + 1].kind in (HEAD, SUBTITLE)
              and not _is_tail(units, index) and index not in starts):
            # Two headline lines over plain text: a story without dateline or byline.
            end = index
            while end < len(units) and units[end].kind in (HEAD, SUBTITLE) and end - index < MAX_HEAD_BLOCK:
                end += 1
            if end < len(units) and units[end].kind == BODY:
                starts[index] = "没有电头或署名：按新稿件处理，请核对分界。"
                floor = end
    return starts


def _split(units, starts):
    """The banner lines before the first story and the stories, each with its units."""
    order = sorted(starts)
    banner = []
    stories = []
    first = order[0] if order else len(units)
    before = units[:first]
    orphans = [unit for unit in before if unit.kind not in (HEAD, FURNITURE)]
    if orphans:  # text before any story: kept as a story of its own for the editor to place
        stories.append(_Story([], before, [(None, "这些文字前面没有主题，无法判断属于哪篇稿件，请补主题或删除。")]))
    else:
        banner = [unit.text for unit in before]
    for position, start in enumerate(order):
        end = order[position + 1] if position + 1 < len(order) else len(units)
        block = units[start:end]
        heads = []
        while block and block[0].kind in (HEAD, SUBTITLE):
            heads.append(block.pop(0))
        story = _Story(heads, block)
        if starts[start]:
            story.notes.append((None, starts[start]))
        stories.append(story)
    _banner_from_first_story(banner, stories)
    for story in stories:
        _note_inside(story)
    return banner, stories


def _banner_from_first_story(banner, stories):
    """A slogan or page line over the first headline is the page's banner, not its 引题."""
    if not stories or not stories[0].heads:
        return
    heads = stories[0].heads
    lines = [unit for unit in heads if unit.kind == HEAD]
    if len(lines) >= 2 and (_SLOGAN.match(lines[0].text) or _FURNITURE.search(lines[0].text)):
        heads.remove(lines[0])
        banner.append(lines[0].text)
        stories[0].notes.append((None, f"“{lines[0].text}”按版面标题处理（不导入）。如果它是引题，请改为以“### ”开头。"))


def _note_inside(story):
    """Notes on lines inside a story's text that may be a headline or page furniture."""
    units = story.units
    for index, unit in enumerate(units):
        if unit.kind == FURNITURE:
            story.notes.append((unit, "这一行像版面信息（日期、版次、责任编辑），不是正文：请删除。"))
        elif (unit.kind == HEAD and 0 < index < len(units) - 1 and units[index + 1].kind == BODY
              and _ends_sentence(units[index - 1].text) and "，" not in unit.text
              and not spans_word(unit.text, units[index + 1].text)):
            story.notes.append((unit, "这一行像标题：如果是另一篇稿件的主题，请在前面加“## ”；如果是小标题，可不改。"))


def _write(banner, stories):
    """The marked text and the notes, with the line numbers of the text written."""
    lines, notes = [], []

    def add(text):
        lines.append(text)
        return len(lines)

    if banner:
        line = add("# " + " ".join(banner))
        add("")
        notes.append(Note(line, "版面标题和版面信息（日期、版次、转版文字）不导入；如果其中有正文，请移到它所属的稿件里。"))
    for story in stories:
        heads = [unit for unit in story.heads if unit.kind == HEAD]
        subtitles = [unit for unit in story.heads if unit.kind == SUBTITLE]
        kicker, title, subtitle, doubt = _headline(heads, subtitles)
        if kicker:
            add("### " + kicker)
        title_line = add("## " + title)
        if subtitle:
            add(subtitle if _SUBTITLE.match(subtitle) else "——" + subtitle)
        if doubt:
            notes.append(Note(title_line, doubt))
        for unit, message in story.notes:
            if unit is None:
                notes.append(Note(title_line, message))
        add("")
        for unit in story.units:
            line = add(unit.text)
            add("")
            notes.extend(Note(line, message) for noted, message in story.notes if noted is unit)
    return Proposal("\n".join(lines).rstrip("\n") + "\n", notes)


def _headline(heads, subtitles):
    """(kicker, title, subtitle, note) from a story's headline lines; no line is dropped."""
    texts = [unit.text for unit in heads]
    subtitle = " ".join(unit.text for unit in subtitles)
    if not texts:
        return "", NO_TITLE, subtitle, "没有找到主题：请把“（待补主题）”改成这篇稿件的主题。"
    if subtitle or len(texts) == 1:
        return " ".join(texts[:-1]), texts[-1], subtitle, ""
    if len(texts) == 2:
        return texts[0], texts[1], "", (
            "两行标题，按“引题 + 主题”处理；如果第二行是副题，请在它前面加“——”，"
            "并把第一行的“### ”改为“## ”。"
        )
    return " ".join(texts[:-2]), texts[-2], texts[-1], "三行以上的标题，按“引题、主题、副题”处理，请核对。"
