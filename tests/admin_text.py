"""Reading what a person sees on an admin page: its text and the attributes that are read out
or shown (title, alt, placeholder, aria-label, button values), without scripts or styles."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description")
# Words a Chinese newsroom writes in Latin letters on purpose.
ALLOWED = {
    "PDF", "API", "URL", "RSS", "Atom", "ID", "IP", "JSON", "HTML", "EXIF", "GPS", "JPEG", "PNG", "WebP",
    "UTF", "GBK", "txt", "jpg", "png", "pdf", "CSV", "OK", "CKEditor", "Open", "Graph", "SHA", "nk",
    "GB", "MB", "KB", "px", "AA", "WCAG", "GB/T", "ICC", "MPO", "APP", "Chromium", "Word", "WPS",
}


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "noscript", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self._skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data)


def read_page(html):
    parser = _Text()
    parser.feed(html)
    return parser.parts, parser.links


def english_in(parts):
    """Latin-letter words of two letters or more that are not on the allowed list."""
    found = set()
    for part in parts:
        for word in re.findall(r"[A-Za-z][A-Za-z']+", part):
            if word not in ALLOWED:
                found.add(word)
    return found


def admin_links(base, links):
    """The admin pages a page links to, as paths (no logout, no downloads, no other sites)."""
    for link in links:
        url = urlsplit(urljoin(base, link))
        if url.netloc not in ("", "testserver") or not url.path.startswith("/admin/"):
            continue
        if "logout" in url.path or url.path.endswith((".pdf", ".csv")):
            continue
        yield url.path + (f"?{url.query}" if url.query else "")
