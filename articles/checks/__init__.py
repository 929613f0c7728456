"""机审: the machine check a story passes before submission and again at sign-off.

One module per kind of check, each a function of the story's texts that
returns `Finding`s pointing at a field and an excerpt:

    text         the texts checked (title, kicker, subtitle, lead, body as text, photo
                 captions) and their folding (NFKC, traditional → simplified)
    wordlists    the newsroom's word lists (禁用 blocks, 提示 warns, 替换 suggests),
                 one Aho–Corasick automaton per list version
    unions       union-body names one edit away from the directory's (北京市总公会)
    punctuation  GB/T 15834: half-width punctuation in Chinese text, unbalanced pairs,
                 repeated punctuation
    numbers      GB/T 15835 basics: full-width digits, mixed numerals, 约…左右
    doubled      doubled function characters (的的)

`check_article(article)` runs them all; the workflow refuses on a blocking
finding and asks for an acknowledgement of the warnings (`Report.fingerprint`).
"""

import hashlib
from dataclasses import dataclass, field

# An acknowledgement that covers whatever warnings there are: for a page import,
# where the importing editor vouches for the printed text.
ACKNOWLEDGE_ALL = "*"

BLOCK, WARN, REPLACE = "block", "warn", "replace"
SEVERITY_LABELS = {BLOCK: "禁用", WARN: "提示", REPLACE: "替换"}
EXCERPT = 12  # characters shown on each side of a finding


@dataclass(frozen=True)
class Finding:
    kind: str  # wordlist, union, punctuation, number, doubled
    severity: str  # block, warn, replace
    field: str  # the story's field ("body", "caption-2" …)
    field_label: str  # 正文, 图片说明（图 2）…
    start: int  # where the match starts in the field's text
    match: str
    message: str
    suggestion: str = ""
    before: str = ""  # the text just before the match
    after: str = ""

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]

    def summary(self):
        """One line for messages, mails, the log and the 审稿单."""
        text = f"{self.field_label}“{self.match}”：{self.message}"
        return text + (f"（建议改为“{self.suggestion}”）" if self.suggestion else "")


@dataclass
class Report:
    findings: list = field(default_factory=list)

    @property
    def blocking(self):
        return [f for f in self.findings if f.severity == BLOCK]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity != BLOCK]

    def fingerprint(self):
        """Names the warnings exactly: an acknowledgement holds for these, not for later ones."""
        if not self.warnings:
            return ""
        text = "\n".join(f"{f.kind}|{f.field}|{f.start}|{f.match}|{f.message}" for f in self.warnings)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def finding(kind, severity, source, start, end, message, suggestion=""):
    """A Finding at [start, end) of `source` (a text.Source), with its excerpt."""
    text = source.text
    return Finding(
        kind=kind, severity=severity, field=source.field, field_label=source.label, start=start,
        match=text[start:end], message=message, suggestion=suggestion,
        before=text[max(0, start - EXCERPT):start].split("\n")[-1],
        after=text[end:end + EXCERPT].split("\n")[0],
    )


def check_texts(sources):
    """Every finding in `sources` (text.Source rows), blocking ones first, then by place."""
    from . import doubled, numbers, punctuation, unions, wordlists

    found = []
    for check in (wordlists.check, unions.check, punctuation.check, numbers.check, doubled.check):
        found.extend(check(sources))
    order = {source.field: i for i, source in enumerate(sources)}
    found.sort(key=lambda f: (f.severity != BLOCK, order.get(f.field, 0), f.start, f.kind))
    return Report(found)


def check_article(article):
    """The machine check of a saved or unsaved story (its photo captions if it has any)."""
    from .text import sources_of

    return check_texts(sources_of(article))
