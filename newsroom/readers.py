"""Middleware that anonymous readers of public pages do not need.

A reader of a cached public page (`request.public_reader`, set by
articles.public.cache.PublicPageCacheMiddleware: a GET or HEAD of a public page
without a signed-in session) has no session, no user, no messages and no login
to lock out, so these three pass such a request straight through; for everyone else (the
admin, the API, staff on public pages, logins) they are Django's own. (django-axes'
middleware stays as it is: for a reader it is one function call, and its system
check wants it by name.) What keeps a page safe still runs for every
request: SecurityMiddleware, CSRF, clickjacking and CSP headers.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware


class _SkippedForReaders:
    def __call__(self, request):
        if getattr(request, "public_reader", False):
            self.for_reader(request)
            return self.get_response(request)
        return super().__call__(request)

    def for_reader(self, request):
        """What a reader's request gets instead (nothing by default)."""


class SessionMiddleware(_SkippedForReaders, _SessionMiddleware):
    pass


class AuthenticationMiddleware(_SkippedForReaders, _AuthenticationMiddleware):
    def for_reader(self, request):
        request.user = AnonymousUser()


class MessageMiddleware(_SkippedForReaders, _MessageMiddleware):
    pass
