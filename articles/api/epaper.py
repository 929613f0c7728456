"""The e-paper (数字报) in the API: NOT BUILT YET — the place for it.

The e-paper is being built in parallel (issue: the print edition): its models
will be in articles/models/epaper.py and its read queries in
articles/selectors/epaper.py. When they have landed, this module gets a
`router = Router(tags=["数字报"])` with, in the same style as stories.py:

    GET /api/v1/epaper/issues                 published issues, newest first (keyset on date)
    GET /api/v1/epaper/issues/{yyyy-mm-dd}    one issue with its pages (number, name, image, PDF)
    GET /api/v1/epaper/issues/{date}/pages/{n}  one page: image, PDF, and its stories' regions

each answered through responses.answer() (ETag, 304, cached body) and only for
published issues and published stories (`Article.objects.published()`); and
`/stories` gets a `placement` field (issue date, page, regions) read from the
placements with one prefetch. Register the router in urls.py (`ROUTERS`) and add
the endpoints to tests/test_api_*.py (query counts, the publication gate, the
schemathesis run covers them by itself).
"""
