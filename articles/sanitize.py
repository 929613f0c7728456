"""Server-side sanitising of story bodies.

The rich-text editor is a convenience, not a security boundary: anything can be
POSTed to the admin or saved from a script. Every body therefore passes through
nh3 (the Rust `ammonia` sanitiser) with an explicit allow-list before it is
stored, so what the public sees is safe whichever way it arrived.
"""

import nh3
from django.conf import settings

# What a news story needs: paragraphs, sub-heads, emphasis, lists, quotes,
# links and inline images. No style, class, id, event handlers, forms, media or frames.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u",
    "ul", "ol", "li", "blockquote", "a", "img", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
}
# Relative URLs (our own /media/ uploads) are kept; only these schemes otherwise
# (so javascript:, data: and vbscript: links lose their href).
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Tags dropped together with everything inside them: their content is code or a
# fallback for embedded media, never text a reader should see.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "noscript", "object", "embed",
    "template", "svg", "math", "textarea", "select",
}


def _only_our_images(element, attribute, value):
    """An <img> may show only our own re-encoded uploads (articles/photos.py), never
    a file from elsewhere: no tracking pixels, no bytes we did not check."""
    if element == "img" and attribute == "src" and not value.startswith(settings.MEDIA_URL):
        return None
    return value


def sanitize_html(html):
    """Return `html` reduced to the allow-list; scripts, frames and their content are dropped."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        clean_content_tags=DROPPED_WITH_CONTENT,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_only_our_images,
    )
