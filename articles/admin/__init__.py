"""The newsroom admin. Django's autodiscovery imports this package; each module
registers its own ModelAdmins.

    articles    ArticleAdmin: the story list, form, workflow buttons and newsroom pages
    directory   union bodies, the reporter roster, editor scopes (administrators)
    photos      the photo library and bulk upload
    events      the story log (read-only)
"""

from . import articles, photos  # noqa: F401  (each registers its ModelAdmins)
