"""Images inside a story body: CKEditor's upload and browse, through the photo library.

These replace django-ckeditor's own views (which save whatever is sent, under
the name it was sent with). An upload here goes through `ingest_photo` like any
other: checked, re-encoded without metadata, stored under a uuid name, and kept
in the library; the editor gets the URL of its article-size JPEG, never the
bytes that were sent. Only users who may add photos can upload or browse.
"""

import json
from urllib.parse import urlsplit

from csp.constants import SELF
from csp.decorators import csp_replace
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..models import Photo
from ..parsing import parse_int
from . import processing as photos

PERMISSION = "articles.add_photo"
BROWSE_LIMIT = 60


def _may_upload(user):
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


def _csrf_ok(request):
    """Django's CSRF token, or CKEditor's own double-submit cookie (ckCsrfToken).

    CKEditor's upload dialog and paste upload cannot send Django's token; they
    send the value of a cookie they set as a form field. A cross-site page cannot
    read that cookie, but one that can plant cookies (a sibling subdomain) could
    set both halves: so the double-submit counts only from our own pages, checked
    by Origin (or, without one, Referer) as Django's CSRF check does.
    """
    checker = CsrfViewMiddleware(lambda r: None)
    ck_token = request.POST.get("ckCsrfToken", "")
    if len(ck_token) >= 16 and constant_time_compare(
        ck_token, request.COOKIES.get("ckCsrfToken", "")
    ):
        return _from_our_pages(request, checker)
    return checker.process_view(request, None, (), {}) is None


def _from_our_pages(request, checker):
    """Does the request come from a page of this site (or of CSRF_TRUSTED_ORIGINS)?"""
    if "HTTP_ORIGIN" in request.META:
        return checker._origin_verified(request)  # Django's own comparison, trusted origins included
    try:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    except ValueError:
        return False
    if not referer.netloc or (request.is_secure() and referer.scheme != "https"):
        return False
    return referer.netloc == request.get_host()


def _func_num(request):
    """CKEditor's callback number (a small whole number), or None: then the reply is JSON."""
    return parse_int(request.GET.get("CKEditorFuncNum"), maximum=2**31)


def _reply(request, *, url="", message=""):
    """Answer in the form CKEditor asked for: JSON (paste/drop) or a dialog callback."""
    func_num = _func_num(request)
    if func_num is not None:
        # json.dumps quotes the strings; escaping "<" keeps them inside the script.
        args = ", ".join(json.dumps(v).replace("<", "\\u003c") for v in (url, message))
        # The nonce lets this one inline script past the Content Security Policy.
        return HttpResponse(
            f'<script nonce="{request.csp_nonce}">'
            f"window.parent.CKEDITOR.tools.callFunction({func_num}, {args});</script>"
        )
    if url:
        return JsonResponse({"uploaded": 1, "url": url, "fileName": url.rsplit("/", 1)[-1]})
    return JsonResponse({"uploaded": 0, "error": {"message": message}})


@csrf_exempt  # checked in _csrf_ok: Django's token or CKEditor's cookie
# The upload tab of CKEditor's image dialog posts into a hidden frame of the
# admin page and reads this reply there: the one response we let our own
# pages frame (everything else is X-Frame-Options: DENY, frame-ancestors 'none').
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@require_POST
def upload(request):
    """Store an image from the editor in the photo library; reply with its public URL."""
    if not _may_upload(request.user):
        response = _reply(request, message="您没有上传图片的权限。")
        response.status_code = 403
        return response
    if not _csrf_ok(request):
        response = _reply(request, message="页面已过期，请刷新后重试。")
        response.status_code = 403
        return response
    upload = request.FILES.get("upload")
    if upload is None:
        return _reply(request, message="没有收到文件，请重新选择图片。")
    try:
        photo = photos.ingest_photo(upload, uploaded_by=request.user)
    except ValidationError as error:
        return _reply(request, message="".join(error.messages))
    return _reply(request, url=photo.rendition("article").largest_jpeg)


@never_cache
@require_GET
def browse(request):
    """Pick a library photo for the story body (CKEditor's "浏览服务器")."""
    if not _may_upload(request.user):
        return HttpResponse("您没有浏览图片库的权限。", status=403, content_type="text/plain; charset=utf-8")
    query = request.GET.get("q", "").strip()
    library = Photo.objects.select_related("credit_reporter")
    if query:
        library = library.filter(caption__icontains=query)
    return render(request, "articles/editor_browse.html", {
        "photos": library[:BROWSE_LIMIT],
        "query": query,
        "func_num": _func_num(request),
    })
