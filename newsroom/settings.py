"""Settings for the newsroom CMS.

Every setting that differs between a laptop and production comes from an
environment variable (see README.md, "Configuration"), and every setting the
code reads is declared here. The settings fail closed: without DJANGO_DEBUG the
site runs as production (DEBUG off) and refuses to start without its own
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. Development says so explicitly with
DJANGO_DEBUG=1 (the Makefile, CI and tests/settings.py do), and then gets DEBUG
on, a fixed development key, SQLite in the project folder and a local-memory
cache.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from newsroom import address

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    """Read a 1/0 (also true/false, yes/no) flag from the environment."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def env_list(name, default):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


# Production unless told otherwise: a host that forgets DJANGO_DEBUG must never
# run with DEBUG on and a key everyone can read in this file.
DEBUG = env_bool("DJANGO_DEBUG", False)

# Development only: a fixed, obviously unsafe key so sessions survive restarts.
DEVELOPMENT_SECRET_KEY = "dev-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG and SECRET_KEY.strip() in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is required in production (DJANGO_DEBUG unset or 0): set it to a long "
        "random secret of this site's own. For development set DJANGO_DEBUG=1 "
        "(make run and make test do)."
    )
if not SECRET_KEY.strip():
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

# The newsroom's address (newsroom/address.py): NEWSROOM_BASE_URL, or in development
# the address `make run HOST=…` serves on (it passes HOST as NEWSROOM_HOST). Links in
# mails and the address `make run` prints both come from here.
# Development answers on its own address too (HOST=192.168.1.20:8000 works as it is).
_DEV_HOSTS = []
if DEBUG:
    _DEV_BASE_URL = address.base_url(
        explicit=os.environ.get("NEWSROOM_BASE_URL"), run_host=os.environ.get("NEWSROOM_HOST"),
        debug=True, allowed_hosts=[],
    )
    _DEV_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
    if address.host_name(_DEV_BASE_URL) not in _DEV_HOSTS:
        _DEV_HOSTS.append(address.host_name(_DEV_BASE_URL))
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", _DEV_HOSTS)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is required in production (DJANGO_DEBUG unset or 0), "
        "e.g. DJANGO_ALLOWED_HOSTS=news.example.org."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ckeditor",
    "ckeditor_uploader",
    "reversion",
    "axes",
    "csp",
    # The read API (articles/api): django-ninja serves its docs' assets from static,
    # django-cors-headers answers browsers of the configured origins.
    "ninja",
    "corsheaders",
    "articles",
    # Demo content and benchmark archives (manage.py load_demo, bench_data, bench_probe).
    "demo",
]

MIDDLEWARE = [
    # Cached public pages are answered first, before sessions and authentication;
    # what it stores is the response as the reader got it, security headers and all,
    # so newsroom/wsgi.py can serve the same page without Django (ReaderPagesFirst).
    "articles.public.cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CORS for /api/ only (CORS_URLS_REGEX), before anything that may answer.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, authentication and messages are Django's own,
    # passed straight through for anonymous readers of public pages (newsroom/readers.py).
    # No LocaleMiddleware: the site has one language (LANGUAGES), which Django
    # uses without it, for every request.
    "newsroom.readers.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "newsroom.readers.AuthenticationMiddleware",
    "newsroom.readers.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, building the fixed policy once (newsroom/security.py).
    "newsroom.security.CSPMiddleware",
    # Database down: 503 with Retry-After instead of a 500 (newsroom/resilience.py).
    "newsroom.resilience.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses to authenticate a locked-out username+address
# before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    # The readers' pages: Jinja2 through Django's backend, first so their lookups
    # stop here (newsroom/templating.py says why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "public"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "newsroom.templating.environment"},
    },
    # The admin, its forms' widgets and the other error pages.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# --- Database ---------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@host:5432/newsroom (psycopg 3).
# Without it: an SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Keep connections open between requests in production; a new connection
        # per request roughly halves the pages a worker can serve.
        conn_max_age=0 if DEBUG else 60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Let a writer wait for a busy database instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: on a large archive PostgreSQL's cost estimates for a search's
    # index probes pass jit_above_cost, and compiling takes ~8 ms for a query that then
    # runs in 0.1 ms (measured at a million stories). Short queries are all this site runs.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # Prepared statements: psycopg sends parameters apart from the SQL (server-side
    # binding) and prepares a statement once it ran five times on a connection, so
    # PostgreSQL plans each of the site's few query shapes once per connection instead of
    # on every request. Planning cost more than running most of them (a story's row:
    # ~0.6 ms to plan, ~0.07 ms to run); measured, PostgreSQL's CPU per story page fell
    # by half. Django leaves both off for poolers in transaction mode (PgBouncer without
    # prepared-statement support): there, set NEWSROOM_DB_PREPARED=0.
    if env_bool("NEWSROOM_DB_PREPARED", True):
        options["server_side_binding"] = True
        options["prepare_threshold"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its redis-py client (newsroom/cache.py).
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Whole public pages are cached (in the cache above) unless NEWSROOM_PAGE_CACHE=0
# (articles.cache); the benchmark measures both ways.
PAGE_CACHE_ENABLED = env_bool("NEWSROOM_PAGE_CACHE", True)
# The longest a public page stays cached, in seconds (articles/public/cache.py).
# Any change to public content makes it stale at once anyway; this bounds how
# long the cache keeps it, and the next scheduled story's time caps it further.
PUBLIC_CACHE_TIMEOUT = int(os.environ.get("NEWSROOM_PUBLIC_CACHE_TIMEOUT", 600))
# Each server process also keeps the pages it answered lately, up to this many bytes,
# and answers them without a round trip to Redis while Redis reports no content change
# (articles/public/cache.py, _PagesHere). 0 turns it off.
PUBLIC_CACHE_LOCAL_BYTES = int(os.environ.get("NEWSROOM_PUBLIC_CACHE_LOCAL_BYTES", 8 * 1024 * 1024))

# --- The read API (articles/api; README.md, "API") ------------------------------
# Requests per minute: anonymous readers per client address, and apps per key
# (an ApiKey may set its own). Over the limit is a 429 with Retry-After.
API_ANON_PER_MINUTE = int(os.environ.get("NEWSROOM_API_ANON_PER_MINUTE", 60))
API_KEY_PER_MINUTE = int(os.environ.get("NEWSROOM_API_KEY_PER_MINUTE", 600))
# How many trusted proxies in front of the app append to X-Forwarded-For. 0: the
# client is REMOTE_ADDR (the header is ignored, since anyone can send it); 1: the
# address the one proxy appended, and so on. One rule (newsroom/clients.py) for the
# API's rate limits and the login lockout. NEWSROOM_API_PROXY_COUNT is its old name.
PROXY_COUNT = int(os.environ.get("NEWSROOM_PROXY_COUNT", os.environ.get("NEWSROOM_API_PROXY_COUNT", 0)))
# Key usage is counted in the cache and written to the database every this many requests.
API_USAGE_WRITE_EVERY = int(os.environ.get("NEWSROOM_API_USAGE_WRITE_EVERY", 100))
# Browsers may call the API from these origins only (comma-separated, e.g.
# https://m.example.org); none by default. Apps and mini-programs need no CORS.
CORS_ALLOWED_ORIGINS = env_list("NEWSROOM_API_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "x-api-key"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"]

# --- Passwords and logins -----------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# After a login whose ?next= is unsafe (another site) or missing, Django goes here;
# its default, /accounts/profile/, is no page of ours (a 404 after every such login).
LOGIN_REDIRECT_URL = "admin:index"

# Admin login throttling (django-axes). Five wrong passwords for one username
# from one address lock that pair out for 15 minutes: someone guessing cannot
# go on, and cannot lock a colleague out from another address either. The
# address is the client's behind NEWSROOM_PROXY_COUNT trusted proxies
# (newsroom/clients.py), not the load balancer's (README.md, "Security").
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.axes_client_ip"
AXES_USERNAME_CALLABLE = "newsroom.clients.axes_username"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Never record passwords, even wrong ones, in the access log.
AXES_SENSITIVE_PARAMETERS = ["password"]

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese for the few admin strings Django's own zh_Hans catalogue lacks (locale/README in the .po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True  # stored in UTC, shown in Asia/Shanghai

# --- Static files and media -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development serves static files straight from the app folders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# --- Photos (articles/photos.py; README.md, "Photos") -------------------------
# Originals exactly as uploaded (with their EXIF and GPS) are kept here, outside
# MEDIA_ROOT, so no web server configuration can ever serve them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PHOTO_ORIGINALS_ROOT", BASE_DIR / "private"))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PHOTO_ORIGINALS_ROOT must not be inside MEDIA_ROOT.")
# Refuse uploads larger than this many bytes, or with more pixels than this
# (decompression bombs: the size is read from the header before decoding).
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 50_000_000))
# Smaller than this on either side is an icon or a tracking pixel, not a news photo.
PHOTO_MIN_SIDE = 100
# The public copy is re-encoded no larger than this on its long side.
PHOTO_PUBLIC_MAX_SIDE = 2000
# At most this many files in one bulk upload, and at most this many bytes and
# pixels (read from the headers, before anything is decoded) in all: 50 phone
# photos of 12 megapixels pass, 50 pictures of 49 megapixels do not.
PHOTO_BULK_MAX_FILES = 50
PHOTO_BULK_MAX_BYTES = int(os.environ.get("PHOTO_BULK_MAX_BYTES", 300 * 1024 * 1024))
PHOTO_BULK_MAX_PIXELS = int(os.environ.get("PHOTO_BULK_MAX_PIXELS", 650_000_000))
# The memory budget of decoding: at most this many pixels are being decoded and
# converted at once in a process (threads of a bulk upload wait for their turn).
# About 12 bytes per pixel at the peak (RGBA decode, RGB copy, scaling): 60 million
# pixels ≈ 720 MB, so one request stays under ~1 GB with its encoded results.
PHOTO_DECODE_BUDGET_PIXELS = int(os.environ.get("PHOTO_DECODE_BUDGET_PIXELS", 60_000_000))
# A colour profile larger than this is not kept (pixels are converted to sRGB);
# real RGB profiles are 0.5-4 KB, the largest camera ones some tens of KB.
PHOTO_MAX_ICC_BYTES = 64 * 1024

# --- The e-paper (articles/epaper/; README.md, "The e-paper") -----------------
# A day's printed pages as PDFs: refused above this size, this many pages (a
# daily prints 4-32; a "page bomb" of thousands is refused before any is
# rendered) or pages larger than this many points on a side (a broadsheet is
# about 1190 x 1680; 3600 pt is 1.27 m).
EPAPER_MAX_UPLOAD_BYTES = int(os.environ.get("EPAPER_MAX_UPLOAD_BYTES", 100 * 1024 * 1024))
EPAPER_MAX_PAGES = int(os.environ.get("EPAPER_MAX_PAGES", 48))
EPAPER_MAX_PAGE_POINTS = 3600
# Each page is rendered this many pixels wide; the web renditions are smaller.
EPAPER_RENDER_WIDTH = int(os.environ.get("EPAPER_RENDER_WIDTH", 1600))

# --- Request size limits (set on purpose, not left to defaults) ----------------
# Form fields without files: a long story with its inlines is ~100 KB, a whole
# printed page pasted into the importer ~50 KB. 5 MB leaves room and still stops
# a client from making a worker parse hundreds of megabytes of form data.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files larger than this are streamed to a temporary file instead of
# memory: a bulk upload of 20 phone photos (5-10 MB each) stays off the heap.
# (Each file's own limit is PHOTO_MAX_UPLOAD_BYTES, checked by articles/photos.py.)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The story form with many inline rows, or a changelist action on a full page,
# sends a few hundred fields; 1000 is Django's default, kept deliberately.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A bulk upload may carry PHOTO_BULK_MAX_FILES files; one more so the form, not
# a bare 400, tells the user about the 51st.
DATA_UPLOAD_MAX_NUMBER_FILES = PHOTO_BULK_MAX_FILES + 1

# --- Rich text ----------------------------------------------------------------
# Images in a story body go through the photo library (articles/photo_views.py
# replaces django-ckeditor's upload and browse views); nothing else is accepted.
CKEDITOR_UPLOAD_PATH = "photos/"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "height": 360,
        "width": "100%",
        "toolbar": "Custom",
        # A news toolbar: sub-heads, emphasis, lists, quotes, links. No source mode
        # (for anyone), no styles, colours, fonts, tables, images, frames or forms.
        "toolbar_Custom": [
            ["Format"],
            ["Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image"],
            ["PasteText", "RemoveFormat"],
            ["Undo", "Redo"],
        ],
        "format_tags": "p;h2;h3",
        "removePlugins": "sourcearea,sourcedialog,iframe,flash,forms,stylescombo,font,colorbutton",
        # Only what the server-side allow-list keeps anyway (articles/sanitize.py):
        # the editor drops inline styles, classes and event handlers on paste.
        "allowedContent": (
            "p h2 h3 strong em b i ul ol li blockquote br; a[!href]; img[!src,alt,width,height]"
        ),
        "disallowedContent": "*[on*]; *{*}; *(*)",
        "pasteFromWordRemoveFontStyles": True,
        # Pasted or dropped images are uploaded through the same checked view.
        "extraPlugins": "uploadimage",
        "image_prefillDimensions": False,
    }
}

SILENCED_SYSTEM_CHECKS = [
    # ckeditor.W001 warns that django-ckeditor bundles CKEditor 4, which no longer
    # receives free security updates. We keep it because the customer asked for
    # django-ckeditor, and we do not trust it: every body is sanitised on save
    # with nh3 and an explicit allow-list (articles/sanitize.py), the editor has
    # no source mode and only staff ever load it. Replacing the widget is one
    # setting; see README.md, "Rich text".
    "ckeditor.W001",
]

# --- E-mail (workflow notifications, articles/notifications.py) -------------------
# Development prints mails on the console; production sends through SMTP.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "工会新闻编辑部 <newsroom@localhost>")
# The newsroom's address for links in mails (the workflow has no request) and the
# address `make run` prints (manage.py site_address); the rule is newsroom/address.py.
NEWSROOM_BASE_URL = _DEV_BASE_URL if DEBUG else address.base_url(
    explicit=os.environ.get("NEWSROOM_BASE_URL"), run_host=None, debug=False,
    allowed_hosts=ALLOWED_HOSTS,
)

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "WARNING"},
}

# --- Production hardening -----------------------------------------------------
# Behind a TLS-terminating proxy the site trusts X-Forwarded-Proto: https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page, also in development (so tests see what production sends):
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page may be framed by another site, nor by ours. The one exception is the
# reply of CKEditor's image upload tab, which the editor loads into a hidden
# frame of the admin page: that view alone says SAMEORIGIN
# (articles/editor_uploads.py). CKEditor's own editing area and dialogs are
# about:blank frames it writes itself, which X-Frame-Options does not govern.
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp; Django 5.2 has none of its own).
# Scripts only from our own origin: no inline script, no eval, so markup that
# slipped past the sanitiser still cannot run. Inline *styles* are allowed:
# the admin and CKEditor 4 set style attributes everywhere, and a style cannot
# run code in today's browsers. The two inline scripts we serve ourselves
# (CKEditor's upload reply and the photo picker) carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data:/blob: for CKEditor's pasted-image previews before upload.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
