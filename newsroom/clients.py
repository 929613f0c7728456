"""Who is asking: the one rule for a request's client address, and the name axes records.

Behind proxies every request comes from the last proxy's address (REMOTE_ADDR).
`settings.PROXY_COUNT` says how many trusted proxies in front of the app append
to X-Forwarded-For: 0 (the default) ignores the header, since anyone can send
it; n takes the address the outermost trusted proxy appended (the n-th from the
right). An address that is not an IP address (a forged header) counts as
REMOTE_ADDR. The read API's rate limits (articles/api/access.py) and the login
lockout (django-axes, AXES_CLIENT_IP_CALLABLE) both use it, so both count the
reader, not the load balancer.
"""

import ipaddress

from django.conf import settings

# The longest username a Django account can have; axes keeps 255 characters.
USERNAME_MAX = 150


def _ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or the one the outermost trusted proxy saw."""
    remote = _ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    count = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")[-100:] if hop.strip()]
        if hops:
            return _ip(hops[-min(count, len(hops))]) or remote
    return remote


def axes_client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: lock the pair (username, the reader's address)."""
    return client_address(request)


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the typed username, cut to what an account can have.

    A longer name matches no account; uncut, it overflowed axes' 255-character
    column (a 500 on PostgreSQL) instead of being a wrong login.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD, None) if source else None
    return username[:USERNAME_MAX] if isinstance(username, str) else username
