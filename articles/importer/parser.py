"""Read the text of a printed page into stories (pure Python, no Django).

The page text looks like this (see tests/data/seed_page.txt)::

    # 深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面     <- banner (optional, at the top)

    ### 石景山区总工会举办集体协商竞赛                           <- kicker (引题) …
    ## 打造善沟通、会协商的集体协商人才队伍                       <- … + headline (主题)

    **本报讯**（记者 张晶）近日，石景山区总工会举办……            <- source label, byline, lead

    ……劳动保                                                  <- a column break cut this
                                                              <- paragraph in two: rejoined
    护标准、建立沟通机制……

    ## 关爱离退休职工                                          <- a photo story: caption …
    近日，北京建工机施集团工会主席带队……
    本报记者 边磊 摄影报道                                     <- … and its credit line

`parse_page(data)` takes the bytes of a file or pasted text and returns a
`Page`; anything it cannot read raises `PageImportError` with a Chinese message
and, where one line is at fault, its line number. Nothing else escapes.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .joins import Join, reads_on

__all__ = ["Credit", "Page", "PageImportError", "Story", "parse_page"]


class PageImportError(ValueError):
    """The page cannot be imported; `message` says why in Chinese, `line` where (or None)."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line else message)


REPORTER = "reporter"
PHOTOGRAPHER = "photographer"
CORRESPONDENT = "correspondent"

# Role words in a byline, longest first so 摄影记者 wins over 摄影 and 记者.
ROLE_WORDS = {
    "本报摄影记者": PHOTOGRAPHER,
    "摄影记者": PHOTOGRAPHER,
    "本报通讯员": CORRESPONDENT,
    "特约通讯员": CORRESPONDENT,
    "通讯员": CORRESPONDENT,
    "本报记者": REPORTER,
    "实习记者": REPORTER,
    "见习记者": REPORTER,
    "记者": REPORTER,
    "摄影": PHOTOGRAPHER,
    "摄": PHOTOGRAPHER,
}
_ROLE_RE = "|".join(sorted(map(re.escape, ROLE_WORDS), key=len, reverse=True))


@dataclass
class Credit:
    """One person in a byline or credit line, with the role they had in this story."""

    name: str
    role: str  # REPORTER, PHOTOGRAPHER or CORRESPONDENT


@dataclass
class Story:
    title: str
    line: int  # where its headline is, for messages
    kicker: str = ""
    subtitle: str = ""  # 副题: a "——" line right under the headline
    source_label: str = ""
    credits: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)  # lead first, without the dateline
    photo_credit: str = ""  # a closing credit line as printed (本报记者 边磊 摄影报道)
    is_photo_story: bool = False  # a picture and its caption, not a written report
    joins: list = field(default_factory=list)  # joins.Join: halves joined across column breaks

    @property
    def lead(self):
        """The first paragraph; a photo story has none (its text is the caption)."""
        if self.is_photo_story or not self.paragraphs:
            return ""
        return self.paragraphs[0]

    @property
    def body_paragraphs(self):
        return self.paragraphs if self.is_photo_story else self.paragraphs[1:]

    def text(self):
        """Everything a reader reads in the story, for recognising union bodies."""
        return "\n".join([self.kicker, self.title, self.subtitle, *self.paragraphs])

    @property
    def doubtful_joins(self):
        """Joins across a column break that do not read as one sentence."""
        return [join for join in self.joins if not join.reads_on]


@dataclass
class Page:
    banner: str = ""
    stories: list = field(default_factory=list)


# --- Decoding -----------------------------------------------------------------

MAX_BYTES = 2 * 1024 * 1024  # a page is a few kilobytes; anything this big is not a page


def decode(data):
    """Return the text of `data` (bytes or str), refusing binary files and mixed encodings.

    Word processors here save UTF-8 or GB18030/GBK. A file that is wholly one
    of them is read; a file whose lines disagree (some UTF-8 Chinese, some GBK)
    was pasted together from two sources and would import as mojibake, so it
    is refused with the first line that differs.
    """
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise PageImportError("文件太大，不像是一个版面的文字（最大 2 MB）。")
        text = _decode_bytes(bytes(data))
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            if char != "\t" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
                raise PageImportError(
                    "含有无法识别的二进制内容，这不是一个文本文件。请上传 .txt 文本或直接粘贴文字。",
                    number,
                )
    return text


def _decode_bytes(data):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:  # no text file has NUL bytes: images, Word files, archives do
        raise PageImportError(
            "这是一个二进制文件（如图片或 Word 文档），不是文本。请另存为 .txt 文本或直接粘贴文字。"
        )
    utf8_line = gbk_line = None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            try:
                raw.decode("gb18030")
                gbk_line = gbk_line or number
            except UnicodeDecodeError:
                raise PageImportError(
                    "无法识别文字编码（既不是 UTF-8 也不是 GBK），可能是二进制文件。", number
                ) from None
        if utf8_line and gbk_line:
            raise PageImportError(
                f"文件混用了两种编码：第 {utf8_line} 行是 UTF-8，第 {gbk_line} 行是 GBK。"
                "请在文字处理软件里统一另存为 UTF-8 文本后再导入。",
                max(utf8_line, gbk_line),
            )
    return data.decode("gb18030" if gbk_line else "utf-8")


# --- Structure ----------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})[ \t\u3000]+(.*)$")
_BOLD_LABEL = re.compile(r"^\*\*([^*]{1,30})\*\*")
# Datelines pasted from a word processor carry no bold: 本报讯, 本报北京6月1日电, 新华社北京电.
_PLAIN_LABEL = re.compile(r"^(本报讯|本报[^\s，,。（(]{0,12}电|新华社[^\s，,。（(]{0,12}电)")
_BYLINE = re.compile(r"^[（(]([^（()）]*)[）)]")
# 本报记者 边磊 摄影报道 / 记者 张晶 摄 / 边磊 摄
_PHOTO_CREDIT = re.compile(
    r"^(?:(?:本报)?(?:摄影)?记者|(?:本报)?通讯员)?[ \t\u3000]*"
    r"(?P<names>[\u4e00-\u9fff·]{2,10}(?:[ \t\u3000、，,]+[\u4e00-\u9fff·]{2,10}){0,3})"
    r"[ \t\u3000]+(?P<what>摄影报道|摄)$"
)
_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·]{0,9}$")
# 副题 under a headline: ——记北京市劳动模范张三 (a dash or two, any width).
_SUBTITLE = re.compile(r"^(?:——|—|--|－－)\s*(\S.*)$")
# A byline on a line of its own (features, pasted pages): 本报记者 张晶 通讯员 李明,
# □本报记者 张晶, 文/张晶. The role word is required, so a lone name is never taken.
_NAMES = r"[\u4e00-\u9fff·]{2,10}(?:[ \t\u3000、，,]+[\u4e00-\u9fff·]{2,10})*"
BYLINE_LINE = re.compile(
    rf"^[□■●◆◎▲]?[ \t\u3000]*(?:(?:{_ROLE_RE}|文／|文/|图／|图/)[ \t\u3000]*{_NAMES}[ \t\u3000]*)+"
    r"(?:文[/／]图|图[/／]文)?$"
)
_BYLINE_DECOR = re.compile(r"^[□■●◆◎▲]|文[/／]图$|图[/／]文$|[文图][/／]")
# Numbered sub-heads inside a story (一、… （二）… 第三，…) end where they stand.
SUBHEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[，、])\S{1,30}$")
_SEPARATORS = re.compile(r"[ \t\u3000、，,／/]+")
# A paragraph ends a sentence with one of these; a closing quote or bracket
# counts only after one of them (“……。” yes, “机关大讲堂” no).
_SENTENCE_END = set("。！？!?…；;：:")
_CLOSERS = set("”’」』》）)\"'")


def parse_page(data):
    """Parse the bytes or text of a page into a `Page`, or raise `PageImportError`.

    No catch-all here on purpose: the property-based tests throw random text
    at this function, and a bug should fail them rather than hide as an error
    message.
    """
    return _parse(decode(data))


def _parse(text):
    lines = text.split("\n")
    if not any(line.strip() for line in lines):
        raise PageImportError("文件是空的，没有可导入的内容。")
    page = Page()
    story = None
    pending_kicker = None  # (text, line number) of a ### line waiting for its ##
    block, block_start = [], None  # the lines of the paragraph being read

    def end_block():
        nonlocal block, block_start
        if block:
            if story is None:
                raise PageImportError(
                    "这段文字不属于任何稿件：前面缺少主题行（以“## ”开头）。", block_start
                )
            story.paragraphs.append((_join_lines(block), block_start))
        block, block_start = [], None

    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.strip()
        heading = _HEADING.match(line)
        if not line:
            end_block()
            continue
        if heading is None and line.startswith("#") and set(line) <= {"#"}:
            raise PageImportError("标题行是空的：“#”后面没有文字。", number)
        if heading is None and story is not None and not story.paragraphs and not block \
                and not story.subtitle and _SUBTITLE.match(line):
            story.subtitle = _SUBTITLE.match(line).group(1).strip()
            continue
        if heading is None:
            if pending_kicker:
                raise PageImportError(
                    f"引题“{pending_kicker[0]}”后面缺少主题行（以“## ”开头）。", pending_kicker[1]
                )
            if block_start is None:
                block_start = number
            block.append(line)
            continue
        end_block()
        level, content = len(heading.group(1)), heading.group(2).strip()
        if not content:
            raise PageImportError("标题行是空的：“#”后面没有文字。", number)
        if level == 1:
            if page.banner or page.stories or story or pending_kicker:
                raise PageImportError("版面标题（以“# ”开头）只能有一个，并且在最前面。", number)
            page.banner = content
        elif level == 3:
            if pending_kicker:
                raise PageImportError(
                    f"引题“{pending_kicker[0]}”后面缺少主题行（以“## ”开头）。", pending_kicker[1]
                )
            pending_kicker = (content, number)
        elif level == 2:
            if story is not None:
                page.stories.append(_finish(story))
            story = Story(title=content, line=number)
            if pending_kicker:
                story.kicker = pending_kicker[0]
                pending_kicker = None
        else:
            raise PageImportError(
                f"不认识的标题级别“{'#' * level}”：只用“# ”版面标题、“### ”引题、“## ”主题。", number
            )
    end_block()
    if pending_kicker:
        raise PageImportError(
            f"引题“{pending_kicker[0]}”后面缺少主题行（以“## ”开头）。", pending_kicker[1]
        )
    if story is not None:
        page.stories.append(_finish(story))
    if not page.stories:
        raise PageImportError("没有找到任何稿件：每篇稿件要以主题行（“## ”开头）开始。")
    return page


def _join_lines(lines):
    """Lines of one paragraph, joined: no space between Chinese, one between Latin words."""
    text = lines[0]
    for line in lines[1:]:
        if text[-1].isascii() and text[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            text += " "
        text += line
    return text


def _finish(story):
    """Read the dateline, byline and credit of a story whose paragraphs are all in."""
    if not story.paragraphs:
        raise PageImportError(f"稿件“{story.title}”没有正文。", story.line)
    paragraphs = story.paragraphs  # (text, line number) pairs until the end of this function
    last_text, last_line = paragraphs[-1]
    credit = _PHOTO_CREDIT.match(last_text)
    if credit and len(paragraphs) > 1:
        story.photo_credit = last_text
        story.is_photo_story = credit.group("what") == "摄影报道"
        for name in _SEPARATORS.split(credit.group("names")):
            story.credits.append(Credit(name, PHOTOGRAPHER))
        paragraphs = paragraphs[:-1]
    first_text, first_line = paragraphs[0]
    if len(paragraphs) > 1 and BYLINE_LINE.match(first_text) and not _PHOTO_CREDIT.match(first_text):
        story.credits[:0] = _parse_byline(_BYLINE_DECOR.sub(" ", first_text), first_line)
        paragraphs = paragraphs[1:]
        first_text, first_line = paragraphs[0]
    label = _BOLD_LABEL.match(first_text) or _PLAIN_LABEL.match(first_text)
    if label:
        story.source_label = label.group(1).strip()
        rest = first_text[label.end():].lstrip(" \u3000")
        byline = _BYLINE.match(rest)
        if byline:
            story.credits[:0] = _parse_byline(byline.group(1), first_line)
            rest = rest[byline.end():].lstrip(" \u3000")
        if not rest:
            raise PageImportError(f"稿件“{story.title}”的导语是空的：电头后面没有文字。", first_line)
        paragraphs = [(rest, first_line), *paragraphs[1:]]
    elif story.photo_credit:
        story.is_photo_story = True  # a caption and a credit, no dateline
    story.paragraphs, story.joins = _rejoin(paragraphs)
    return story


def _parse_byline(inside, line):
    """`记者 张晶 周美玉 通讯员 李明` → credits; a role without a name is an error."""
    credits, role, role_word, named = [], REPORTER, None, True
    for token in _SEPARATORS.split(inside.strip()):
        if not token:
            continue
        match = re.match(rf"^({_ROLE_RE})", token)
        if match:
            if not named:
                raise PageImportError(f"署名“{role_word}”后面没有姓名。", line)
            role_word, role = match.group(1), ROLE_WORDS[match.group(1)]
            token = token[match.end():]
            named = False
            if not token:
                continue
        if not _NAME.match(token):
            raise PageImportError(f"署名里的“{token}”不像是人名。", line)
        credits.append(Credit(token, role))
        named = True
    if not named:
        raise PageImportError(f"署名“{role_word}”后面没有姓名。", line)
    if not credits:
        raise PageImportError("署名的括号里没有姓名。", line)
    return credits


def ends_sentence(text):
    """Whether a paragraph ends as a sentence does; if not, a column break cut it."""
    text = text.rstrip()
    if not text or SUBHEAD.match(text):
        return True
    if text[-1] in _SENTENCE_END:
        return True
    stripped = text.rstrip("".join(_CLOSERS))
    return stripped != text and bool(stripped) and stripped[-1] in _SENTENCE_END


def _rejoin(paragraphs):
    """Join each paragraph that stops mid-sentence with the next one (a column break).

    Breaks may cut a word in two (学习成 / 果转化), so the halves are joined
    with nothing between them. Returns the paragraphs and the joins made, each judged
    by `joins.reads_on` so the preview can flag the ones that do not read as one sentence.
    """
    joined, joins = [], []
    carry = False
    for text, line in paragraphs:
        if carry:
            joins.append(Join(joined[-1][-12:], text[:12], line, reads_on(joined[-1], text)))
            joined[-1] += text
        else:
            joined.append(text)
        carry = not ends_sentence(joined[-1])
    return joined, joins
