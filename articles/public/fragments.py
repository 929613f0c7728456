"""Story items of the public lists, rendered once for each version of what they show.

A publish, withdrawal or correction bumps the content generation, so every cached
page is rendered again (articles/public/cache.py); the stories on those pages that
did not change need not be. Each list item (templates/public/articles/_article_item.html)
is kept in the cache under a digest of every value it shows — the story's kicker,
headline, subtitle, lead and time, its union bodies' names and addresses, its lead
photo's files, size and text — plus the template's own source. An item is therefore
exact by construction: any change to what it shows is a new key, and nothing needs
to be invalidated. A page fetches all its items in one `get_many` and stores the
missing ones in one `set_many`.

Items are cached only while the page cache is on (`PAGE_CACHE_ENABLED`): with it off
(the benchmark's "cache off"), every item is rendered, so uncached figures stay honest.

Showing a new value in _article_item.html? Add it to `_shown()` below.
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

TEMPLATE = "articles/_article_item.html"
TIMEOUT = 24 * 60 * 60  # unused items simply age out


@once
def _template_salt():
    """The item template's source (and the media address it links to): a deploy that
    changes either makes new keys, never serving markup of the old template."""
    source = Path(get_template(TEMPLATE).origin.name).read_text(encoding="utf-8")
    return hashlib.sha256(f"{source}\0{settings.MEDIA_URL}".encode()).hexdigest()[:16]


def _shown(article):
    """Every value of `article` that its list item shows."""
    photo = article.lead_photo()
    return (
        article.pk, article.kicker, article.title, article.subtitle, article.lead,
        article.published_at.isoformat(),
        [(body.pk, body.slug, body.name, body.short_name) for body in article.listed_union_bodies()],
        photo and (photo.pk, photo.image.name, photo.width, photo.height, photo.alt, photo.renditions),
    )


def item_key(article, flags):
    digest = hashlib.sha256(repr((_shown(article), sorted(flags.items()))).encode()).hexdigest()
    return f"public:item:{_template_salt()}:{digest}"


def attach_items(articles, **flags):
    """Set `article.item_html` on each story: its list item, from the cache or rendered now.

    `flags` are the include's own variables (show_time_only=True …). With the page
    cache off `item_html` is None and the templates include the item as usual.
    """
    if not settings.PAGE_CACHE_ENABLED or not articles:
        for article in articles:
            # Set all the same: a template lookup of a missing attribute costs a dir().
            article.item_html = None
        return
    keys = {article.pk: item_key(article, flags) for article in articles}
    found = cache.get_many(list(keys.values()))
    template, missing = get_template(TEMPLATE), {}
    for article in articles:
        html = found.get(keys[article.pk])
        if html is None:
            html = missing[keys[article.pk]] = template.render({"article": article, **flags})
        article.item_html = mark_safe(html)  # rendered by our own autoescaping template
    if missing:
        cache.set_many(missing, timeout=TIMEOUT)
