"""WSGI entry point (gunicorn newsroom.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

# Readers' cached public pages are answered before Django handles a request
# (articles/public/cache.py, ReaderPagesFirst); everything else is Django's.
from articles.public.cache import ReaderPagesFirst  # noqa: E402  (needs the app registry)
from articles.search.index import warm_up  # noqa: E402

application = ReaderPagesFirst(django_application)

# Each server process loads the search's dictionaries as it starts, so no reader's
# search waits a second or more for them (gunicorn checks /healthz after this).
warm_up()
