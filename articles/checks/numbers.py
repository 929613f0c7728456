"""GB/T 15835 (出版物上数字用法) basics, and the number phrases copy editors strike.

- full-width digits (２０２５): use half-width Arabic digits;
- one number mixing Chinese numerals and Arabic digits (二0二五);
- 百分之 followed by Arabic digits (百分之5 → 5%);
- 约/大约 … 左右, 超过 … 以上: the range is said twice.
"""

import re

from . import REPLACE, WARN, finding

FULL_DIGITS = re.compile(r"[０-９]+")
NUMERALS = re.compile(r"[〇零一二三四五六七八九0-9]{3,}")
PERCENT = re.compile(r"百分之([0-9.]+)")
NUMBER = r"[0-9０-９.〇零一二三四五六七八九十百千万亿余多几]+"
ABOUT = re.compile(rf"(?:大约|(?<![节签预契公条制特邀])约)({NUMBER})[^，。；、\n]{{0,4}}?左右")
OVER = re.compile(rf"超过({NUMBER})[^，。；、\n]{{0,4}}?以上")


def check(sources):
    found = []
    for source in sources:
        text = source.text
        for match in FULL_DIGITS.finditer(text):
            half = match.group().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            found.append(finding("number", REPLACE, source, match.start(), match.end(),
                                 "应使用半角阿拉伯数字（GB/T 15835）", half))
        for match in NUMERALS.finditer(text):
            run = match.group()
            digits = sum(char.isascii() for char in run)
            if not digits or len(run) - digits < 2:  # 二0二五, not 统一12351
                continue
            found.append(finding("number", WARN, source, match.start(), match.end(),
                                 "一个数里混用了汉字数字和阿拉伯数字（GB/T 15835）"))
        for match in PERCENT.finditer(text):
            found.append(finding("number", REPLACE, source, match.start(), match.end(),
                                 "阿拉伯数字的百分数用“%”（GB/T 15835）", f"{match.group(1)}%"))
        for pattern, words in ((ABOUT, "“约”和“左右”"), (OVER, "“超过”和“以上”")):
            for match in pattern.finditer(text):
                found.append(finding("number", WARN, source, match.start(), match.end(),
                                     f"{words}意思重复，保留一个"))
    return found
