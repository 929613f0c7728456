"""Top-level URLs: the public site (articles.urls), the read API (/api/v1/) and the newsroom (/admin/)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles.api import urls as api
from articles.photos import editor_uploads

from .health import favicon, healthz

admin.site.site_header = "工会新闻 · 编辑部"
admin.site.site_title = "工会新闻编辑部"
admin.site.index_title = "稿件与资料"

urlpatterns = [
    # CKEditor's image upload and browse (names the widget reverses), through
    # the photo library instead of django-ckeditor's own views.
    path("admin/editor/upload/", editor_uploads.upload, name="ckeditor_upload"),
    path("admin/editor/browse/", editor_uploads.browse, name="ckeditor_browse"),
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # The read API (articles/api): /api/v1/…, its schema and docs; anything else under
    # /api/ is a JSON 404.
    path("api/v1/", api.urls()),
    re_path(r"^api/", api.unknown_path),
    path("", include("articles.public.urls")),
]

# A database outage met outside a view is a 503 too (newsroom/resilience.py).
handler500 = "newsroom.resilience.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
