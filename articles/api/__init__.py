"""The read API for apps and WeChat mini-programs, under /api/v1/ (django-ninja).

    urls        the NinjaAPI: routers, docs (Swagger UI from our static files), error handlers
    stories     /stories (filters, fields=, cursor paging, updated_since), /stories/{id},
                /stories/removed (for syncing apps), /search
    directory   /unions (the tree), /unions/{slug}, /reporters, /reporters/{slug}
    photos      /photos, /photos/{id} (photos of published stories only)
    epaper      /epaper/issues, /epaper/issues/{date} (pages, images, PDFs, placed stories),
                /epaper/latest
    schemas     the answers' shapes (the OpenAPI schema is made from them)
    present     what is shown of each object, as dicts; `fields=`
    params      the query parameters, and their checks
    access      API keys, rate limits, usage counts (the auth step of every endpoint)
    responses   ETag / 304 keyed to the page cache's content generation, cached bodies
    errors      every error as JSON in Chinese and English
    tombstones  records stories that leave the public site (for /stories/removed)

The read queries are in articles/selectors/api.py; the API's rows (keys, usage,
removed stories) in articles/models/api.py; keys are issued in the admin
(articles/admin/api_keys.py).
"""
