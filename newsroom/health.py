"""/healthz: the cheapest answer the stack can give (load balancers, the benchmark's ceiling),
and /favicon.ico, which browsers and feed readers ask for whatever a page links."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """Answer "ok" without touching the database, the cache or a template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Send /favicon.ico to the static icon (its hashed name in production: resolved per
    request, so a missing manifest cannot stop the URLconf from loading)."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
