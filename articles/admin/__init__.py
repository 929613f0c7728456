"""The newsroom admin. Django's autodiscovery imports this package; each module
registers its own ModelAdmins.

    articles       ArticleAdmin: the story list, form and workflow buttons, and one get_urls
    article_views  the pages around a story, as small view functions (desk, 回收站, import …)
    forms          the story form (optimistic locking) and the page-import form
    filters        the story list's filters
    directory      union bodies, the reporter roster, editor scopes (administrators)
    photos         the photo library and bulk upload
    events         the story log (read-only)
    epaper         the printed paper: issues, pages, PDF upload, the region editor, 补录
    slip           the 审稿单 (review slip): printable page and PDF
    review_setup   review levels, policies and the 机审 word lists (administrators)
    api_keys       API keys for apps: issue (shown once), revoke, usage (administrators)
    lockouts       login lockouts (django-axes): see and lift them (administrators)
    common         shared pieces: times, paginator, protected deletes, CKEditor's CSP
"""

from . import (  # noqa: F401  (each registers its ModelAdmins)
    api_keys,
    articles,
    directory,
    epaper,
    events,
    lockouts,
    photos,
    review_setup,
)
