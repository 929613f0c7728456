"""What the API shows of each object, as plain dicts for the schemas (schemas.py).

Only public things are read here: a story's public fields and public
corrections, its byline, union bodies and photos (the public copy and its
renditions — never the original, its file name or who uploaded it). Editorial
comments, notes, share links, `created_by` and the like are not reachable from
these functions at all. Every URL is absolute: an app has no page to be relative to.

Functions read the prefetches the selectors ask for (`with_list_parts()`,
`with_story_parts()`) and never query by themselves.
"""

import re
from html import unescape

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import urlencode

from ..photos.processing import RENDITIONS
from .errors import bad_parameter

# --- Which fields -------------------------------------------------------------------

STORY_FIELDS = (
    "id", "url", "kicker", "title", "subtitle", "source_label", "lead", "body_html", "body_text",
    "byline", "credit_line", "union_bodies", "lead_photo", "photos", "published_at", "updated_at",
    "print", "corrections",
)
# A list shows what a list page shows; `fields=` may ask for any of STORY_FIELDS.
LIST_FIELDS = (
    "id", "url", "kicker", "title", "subtitle", "lead", "byline", "credit_line", "union_bodies",
    "lead_photo", "published_at", "updated_at", "print",
)
# Fields whose values come from prefetched rows (the rest are columns of the story).
LIST_PARTS = {"byline", "credit_line", "union_bodies", "lead_photo"}
STORY_PARTS = {"photos", "corrections"}
# Read from the story's placements in published issues (annotations, no extra query).
PRINT_PARTS = {"print"}


def parse_fields(raw, default):
    """The set of fields `fields=` asks for (`id` always), or `default`; 400 on unknown names."""
    if raw is None:
        return frozenset(default)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in STORY_FIELDS]
    if unknown or not names:
        allowed = ", ".join(STORY_FIELDS)
        shown = ", ".join(unknown[:5])
        raise bad_parameter(
            "fields", f"fields 中有未知字段：{shown or '（空）'}。可用字段：{allowed}。",
            f"Unknown field(s) in fields: {shown or '(empty)'}. Available: {allowed}.",
            code="unknown_field",
        )
    return frozenset(names) | {"id"}


# --- URLs -----------------------------------------------------------------------------


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def api_url(request, name, query=None, **kwargs):
    url = reverse(f"api-1:{name}", kwargs=kwargs or None)
    if query:
        url += "?" + urlencode(query)
    return request.build_absolute_uri(url)


def next_url(request, **cursor):
    """This request's URL with the cursor parameters replaced: the next page."""
    query = request.GET.copy()
    for name, value in cursor.items():
        query[name] = value
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def local(moment):
    return timezone.localtime(moment) if moment else None


def page(request, rows, limit, show, cursor, more=False):
    """A list's answer: the first `limit` of `rows` shown, and the URL of the next page.

    `rows` holds one more than `limit` when more follow (or `more` says they may);
    `cursor(last shown row)` gives the next page's cursor parameters.
    """
    shown = rows[:limit]
    following = None
    if shown and (len(rows) > limit or more):
        following = next_url(request, **cursor(shown[-1]))
    return {"items": [show(row) for row in shown], "next": following}


def time_cursor(time_field="published_at", id_field="pk"):
    """The keyset cursor after a row: its time (Beijing) and id, as `before` / `before_id`."""
    return lambda row: {"before": local(getattr(row, time_field)).isoformat(),
                        "before_id": getattr(row, id_field)}


# --- Text -----------------------------------------------------------------------------

# Relative src/href in the sanitised body (our own /media/ images, site links).
_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')
# Where a block ends, the plain text starts a new line.
_BLOCK_END = re.compile(r"</(?:p|h2|h3|h4|li|blockquote|figcaption)>|<br\s*/?>", re.I)


def body_html(request, html):
    """The sanitised body (articles/sanitize.py) with absolute URLs."""
    base = request.build_absolute_uri("/")
    return _RELATIVE.sub(lambda m: m.group(1) + base, html or "")


def body_text(html):
    """The body as plain text: one line per paragraph, heading or list item."""
    text = unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# --- Objects -------------------------------------------------------------------------


def union_ref(request, body):
    return {"id": body.pk, "slug": body.slug, "name": body.name, "short_name": body.short_name,
            "url": absolute(request, body.get_absolute_url())}


def reporter_ref(request, reporter, role, role_label):
    return {"name": reporter.name, "slug": reporter.slug, "role": role, "role_label": role_label,
            "url": absolute(request, reporter.get_absolute_url())}


def byline(request, article):
    return [reporter_ref(request, b.reporter, b.role, b.get_role_display())
            for b in article.bylines_in_order()]


def _rendition(request, photo, kind):
    made = photo.rendition(kind)
    if made is None:
        return None
    sources = [{"width": w, "height": h, "jpeg": absolute(request, jpeg), "webp": absolute(request, webp)}
               for w, h, jpeg, webp in made.sources]
    return {"src": absolute(request, made.src), "width": made.width, "height": made.height,
            "sources": sources}


def photo_data(request, photo, is_lead=None, stories=None):
    """A photo's public data (needs `credit_reporter` loaded with it)."""
    reporter = photo.credit_reporter if photo.credit_reporter_id else None
    data = {
        "id": photo.pk, "caption": photo.caption, "alt": photo.alt, "credit": photo.credit_line,
        "photographer": reporter and reporter_ref(request, reporter, reporter.role,
                                                  reporter.get_role_display()),
        "width": photo.width, "height": photo.height, "taken_on": photo.taken_on,
        "image": absolute(request, photo.image.url) if photo.image else None,
        "renditions": {kind: _rendition(request, photo, kind) for kind in RENDITIONS},
    }
    if is_lead is not None:
        data["is_lead"] = is_lead
    if stories is not None:
        data["stories"] = [story_ref(request, article) for article in stories]
    return data


def story_ref(request, article):
    return {"id": article.pk, "title": article.title,
            "url": absolute(request, article.get_absolute_url()),
            "published_at": local(article.published_at)}


def print_placement(request, article):
    """Where the story was printed (`with_print_placement()`), or None."""
    line = article.print_line
    if line is None:
        return None
    day, number, name = line
    return {"date": day, "page": number, "page_name": name,
            "url": absolute(request, article.print_page_url()),
            "issue": api_url(request, "epaper_issue", issue_date=day.isoformat())}


def _lead_photo(article, fields):
    if "photos" in fields:  # every photo link is prefetched (with_story_parts)
        return next((link.photo for link in article.photo_links.all() if link.is_lead), None)
    return article.lead_photo()  # with_lead_photo's prefetch


def story(request, article, fields):
    """The `fields` of a published story (its parts prefetched, see selectors/api.py)."""
    getters = {
        "url": lambda: absolute(request, article.get_absolute_url()),
        "body_html": lambda: body_html(request, article.body),
        "body_text": lambda: body_text(article.body),
        "byline": lambda: byline(request, article),
        "credit_line": article.credit_line,
        "union_bodies": lambda: [union_ref(request, body) for body in article.listed_union_bodies()],
        "lead_photo": lambda: (lambda lead: lead and photo_data(request, lead))(_lead_photo(article, fields)),
        "photos": lambda: [photo_data(request, link.photo, is_lead=link.is_lead)
                           for link in article.photo_links.all()],
        "published_at": lambda: local(article.published_at),
        "updated_at": lambda: local(article.last_modified),
        "corrections": lambda: [{"note": c.note, "created_at": local(c.created_at)}
                                for c in article.public_corrections],
        "print": lambda: print_placement(request, article),
    }
    data = {}
    for name in STORY_FIELDS:
        if name in fields:
            getter = getters.get(name)
            data[name] = getter() if getter else getattr(article, name)
    return data


def parts(fields):
    """Which prefetches the `fields` need (selectors.api.with_parts)."""
    return {"list_parts": bool(fields & LIST_PARTS), "story_parts": bool(fields & STORY_PARTS),
            "print_parts": bool(fields & PRINT_PARTS)}
