"""Recognise union bodies named in a story's text.

Every active body's name and aliases (`UnionBody.alias_list()`) go into one
compiled regular expression, longest first. Python's `re` tries the
alternatives in order at each position and scans left to right, so a match is
the leftmost and, there, the longest name. That is the rule the newsroom needs:

- 石景山区总工会 is not 北京市总工会 (neither name is inside the other);
- 朝阳区奥运村街道总工会 is 奥运村街道总工会: nothing known starts at 朝阳区…,
  so the scan moves on, and 朝阳区总工会 is not in the text;
- 北京建工机施集团工会 is that body only: its alias 机施集团工会 starts later,
  inside the match already taken;
- a short form that is the tail of a body's own name (市总工会 for
  北京市总工会) does not count when a Chinese character runs into it from the
  left, as in 天津市总工会: that is a longer name we do not know.

Why a regex and not an Aho–Corasick automaton (pyahocorasick): the directory
holds hundreds of names and a story a few thousand characters, so the
alternation runs in well under a millisecond per story, and it gives
leftmost-longest matching without extra code or a C extension to build. An
automaton would be the better tool at tens of thousands of names; only
`Recognizer.__init__` and `find` would change.
"""

import re
from dataclasses import dataclass

from ..models import UnionBody

# Characters after which a short form still stands on its own: punctuation is
# handled by the Han test; these are words that often precede a body's name.
_STANDALONE_AFTER = set("的在和与及同由向为对是了年月日从到将把被让请经据等该本近即")


@dataclass(frozen=True)
class Mention:
    body: UnionBody
    text: str  # as written in the story
    start: int


def _is_han(char):
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


class Recognizer:
    """Finds union bodies in text; build one per request or import, reuse it for many stories."""

    def __init__(self, bodies=None):
        if bodies is None:
            bodies = UnionBody.objects.active().only("id", "name", "aliases", "parent_id", "slug")
        self.bodies = list(bodies)
        # term -> (body, is a tail of the body's own name, e.g. 市总工会 of 北京市总工会)
        self.terms = {}
        for body in self.bodies:
            for term in [body.name, *body.alias_list()]:
                # A name wins over another body's alias of the same spelling.
                if term and (term not in self.terms or term == body.name):
                    tail = term != body.name and body.name.endswith(term)
                    self.terms[term] = (body, tail)
        ordered = sorted(self.terms, key=lambda term: (-len(term), term))
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def find(self, text):
        """Every mention in `text`, in order of appearance."""
        if not self.pattern or not text:
            return []
        mentions = []
        for match in self.pattern.finditer(text):
            body, tail = self.terms[match.group()]
            before = text[match.start() - 1] if match.start() else ""
            if tail and before and _is_han(before) and before not in _STANDALONE_AFTER:
                continue  # part of a longer name: 天津市总工会, not 市总工会
            mentions.append(Mention(body, match.group(), match.start()))
        return mentions

    def bodies_in(self, *texts):
        """The bodies mentioned in `texts`, each once, in order of first mention."""
        seen = {}
        for text in texts:
            for mention in self.find(text or ""):
                seen.setdefault(mention.body.pk, mention.body)
        return list(seen.values())


def strip_tags(html):
    return re.sub(r"<[^>]+>", "", html or "")


def article_text(article):
    return "\n".join(
        [article.kicker, article.title, article.subtitle, article.lead, strip_tags(article.body)]
    )


def suggest_union_bodies(article, recognizer=None):
    """Bodies named in `article` that it is not tagged with yet."""
    recognizer = recognizer or Recognizer()
    found = recognizer.bodies_in(article_text(article))
    if not found or article.pk is None:
        return found
    tagged = set(article.union_links.values_list("union_body_id", flat=True))
    return [body for body in found if body.pk not in tagged]
