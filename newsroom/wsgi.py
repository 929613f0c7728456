"""WSGI entry point (gunicorn newsroom.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Each server process loads the search's dictionaries as it starts, so no reader's
# search waits a second or more for them (gunicorn checks /healthz after this).
from articles.search.index import warm_up  # noqa: E402  (needs the app registry)

warm_up()
