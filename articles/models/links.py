"""reverse() for the public addresses that lists repeat, remembered per process.

A list page asks for some eighty addresses (each story twice, each union-body tag,
each active body) and Django's reverse() works each one out from the URL patterns
again. An address depends only on the route's name and arguments, the URL
configuration and the script prefix, which together are the key here, so a test
that swaps URLconfs or a mount under a prefix gets its own answers.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def public_url(name, **kwargs):
    return _reverse(name, tuple(sorted(kwargs.items())), settings.ROOT_URLCONF, get_urlconf(),
                    get_script_prefix())


@lru_cache(maxsize=8192)
def _reverse(name, kwargs, root_urlconf, urlconf, prefix):
    return reverse(name, kwargs=dict(kwargs))
