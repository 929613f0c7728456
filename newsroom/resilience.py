"""Staying up while the database is down.

When PostgreSQL is unreachable (restarting, failing over, a network blip) a
request that needs it gets a Chinese "暂时无法访问" page with status 503 and
`Retry-After`, never a 500 with a trace: proxies, crawlers and readers know to
come back. Public pages already in the page cache (articles/public/cache.py) are
served without touching the database, so most readers notice nothing.

Nothing here reconnects: Django opens a fresh connection on the next request
(CONN_HEALTH_CHECKS drops a persistent connection that died), so the site
recovers by itself when the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.template import loader
from django.views import defaults

logger = logging.getLogger("newsroom.database")

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response():
    """The 503 page, rendered without the database (no context processors)."""
    from django.http import HttpResponse

    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database connection failure in a view into a 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable for %s: %s", request.path, exception)
            return unavailable_response()
        return None


def server_error(request, template_name="500.html"):
    """handler500: a database outage met outside a view (a middleware, a session
    save) is still a 503, not a 500; anything else is Django's 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable_response()
    return defaults.server_error(request, template_name)
