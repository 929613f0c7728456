"""GB/T 15834 (标点符号用法) basics a copy editor applies to Chinese text.

- half-width , ; : ? ! . " ' ( ) next to a Chinese character: use the full-width mark;
- pairs that do not close or open: “” 《》 （） 【】 「」 『』 〈〉;
- repeated or stacked pause marks (，， 。。 ，。); an ellipsis that is not ……

Checked on the text as written (folding would turn full-width marks half-width).
"""

import re

from . import REPLACE, WARN, finding

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。", "(": "（", ")": "）"}
HALF_NEAR_HAN = re.compile(
    rf"(?<=[{HAN}])[,;:?!(]|[,;:?!)](?=[{HAN}])|(?<=[{HAN}])\.(?![0-9A-Za-z.])|(?<=[{HAN}])\)|\((?=[{HAN}])"
)
QUOTE_NEAR_HAN = re.compile(rf"(?<=[{HAN}])[\"']|[\"'](?=[{HAN}])")
PAIRS = {"“": "”", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』", "〈": "〉"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
PAIR_MARKS = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
STACKED = re.compile(r"[，、；：。]{2,}|,,+|;;+")
ELLIPSIS = re.compile(r"。{3,}|(?<![.])\.{3,}(?![.])|(?<!…)…(?!…)")


def check(sources):
    found = []
    for source in sources:
        text = source.text
        for match in HALF_NEAR_HAN.finditer(text):
            mark = match.group()
            found.append(finding("punctuation", REPLACE, source, match.start(), match.end(),
                                 "中文里应使用全角标点（GB/T 15834）", FULL[mark]))
        for match in QUOTE_NEAR_HAN.finditer(text):
            marks = "“”" if match.group() == '"' else "‘’"
            found.append(finding("punctuation", WARN, source, match.start(), match.end(),
                                 f"中文里应使用中文引号{marks}（GB/T 15834）"))
        found.extend(_unbalanced(source))
        for match in STACKED.finditer(text):
            if len(match.group()) >= 3 and set(match.group()) == {"。"}:
                continue  # 。。。 is a wrong ellipsis: said below
            found.append(finding("punctuation", WARN, source, match.start(), match.end(),
                                 "标点重复或连用（GB/T 15834）"))
        for match in ELLIPSIS.finditer(text):
            found.append(finding("punctuation", REPLACE, source, match.start(), match.end(),
                                 "省略号应为两个“…”（GB/T 15834）", "……"))
    return found


def _unbalanced(source):
    """Marks of a pair that never close (or close what never opened), per field."""
    stack, found = [], []
    for match in PAIR_MARKS.finditer(source.text):
        index, char = match.start(), match.group()
        if char in PAIRS:
            stack.append((char, index))
        elif char in CLOSERS:
            if stack and stack[-1][0] == CLOSERS[char]:
                stack.pop()
            else:
                found.append(finding("punctuation", WARN, source, index, index + 1,
                                     f"“{char}”前面没有对应的“{CLOSERS[char]}”（GB/T 15834）"))
    for char, index in stack:
        found.append(finding("punctuation", WARN, source, index, index + 1,
                             f"“{char}”后面没有对应的“{PAIRS[char]}”（GB/T 15834）"))
    return found
