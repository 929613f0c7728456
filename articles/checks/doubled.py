"""Doubled function characters (的的, 了了): usually a slip when a sentence was rewritten.

Only characters that are almost never doubled in news prose are checked, and
the reduplicated patterns that are correct are left alone: AABB (的的确确,
和和美美), 目的的 (目的 + 的) and the idioms listed in ALLOWED.
"""

import re

from . import WARN, finding

CHARS = "的了和与及被从并而也都就将于"
DOUBLE = re.compile(rf"([{CHARS}])\1")
ALLOWED = ("不了了之", "不甚了了", "了了分明")


def check(sources):
    found = []
    for source in sources:
        text = source.text
        for match in DOUBLE.finditer(text):
            a, b = match.span()
            following = text[b:b + 2]
            if len(following) == 2 and following[0] == following[1]:
                continue  # AABB: 的的确确
            if match.group(1) == "的" and text[a - 1:a] == "目":
                continue  # 目的的
            if any(word in text[max(0, a - 3):b + 3] for word in ALLOWED):
                continue
            found.append(finding("doubled", WARN, source, a, b, "字重复了，请核对", match.group(1)))
    return found
