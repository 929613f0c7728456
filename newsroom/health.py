"""/healthz: the cheapest answer the stack can give (load balancers, the benchmark's ceiling)."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .readers import sessionless


@sessionless
@require_safe
@never_cache
def healthz(request):
    """Answer "ok" without touching the database, the cache or a template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
