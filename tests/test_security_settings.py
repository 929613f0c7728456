"""Production settings pass `check --deploy` and act on them; every response carries the
security headers; request sizes and passwords are limited on purpose."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from .factories import make_article, make_user

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7#Jq2!vR9zX4mL8pT1wY6nB3cF5hD0sG-aE_uI+oP=QrZ@xV.w3n-Tm8",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def clean_environment():
    """What a bare shell has; nothing that configures the site (DJANGO_*, DATABASE_URL, …)."""
    return {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**clean_environment(), **env},
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is CKEditor 4's, with its reason next to it in settings.py.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_development_settings_would_fail_check_deploy():
    """The test above can fail: the same check finds DEBUG and the dev key."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


# An editor logs in to a production site (as configured by the environment alone; no
# DJANGO_DEBUG: production is the default), first over plain http, then over https.
LOGIN_OVER_HTTP_AND_HTTPS = """
import json
import django

django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("editor", password="Lq8#zT4!mR2-pw", is_staff=True)
client = Client(HTTP_HOST="news.example.org")
plain = client.get("/healthz")
page = client.get("/healthz", secure=True)
login = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": "Lq8#zT4!mR2-pw"},
                    secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "hsts": page.get("Strict-Transport-Security"),
    "login": [login.status_code, login.get("Location")],
    "cookies": {name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
                for name, morsel in login.cookies.items()},
}))
"""


def test_production_sends_hsts_redirects_to_https_and_sets_only_secure_cookies(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "MEDIA_ROOT": str(tmp_path / "media"), "PHOTO_ORIGINALS_ROOT": str(tmp_path / "private")}
    del env["DJANGO_DEBUG"]
    result = subprocess.run(
        [sys.executable, "-c", LOGIN_OVER_HTTP_AND_HTTPS], cwd=ROOT, capture_output=True, text=True,
        timeout=300, env={**clean_environment(), "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://news.example.org/healthz"]
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["login"] == [302, "/admin/"]
    assert seen["cookies"] == {
        "sessionid": {"secure": True, "httponly": True},
        "csrftoken": {"secure": True, "httponly": False},  # HttpOnly would add nothing (Django docs)
    }


@pytest.mark.django_db
def test_public_pages_carry_csp_nosniff_referrer_and_frame_denial(client):
    make_article(title="头条")
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_admin_is_not_frameable_but_ckeditors_upload_reply_is_from_our_own_pages(client):
    client.force_login(make_user(group="记者"))
    assert client.get("/admin/articles/article/add/")["X-Frame-Options"] == "DENY"
    reply = client.post("/admin/editor/upload/?CKEditorFuncNum=1", {})
    assert reply["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in reply["Content-Security-Policy"]
    # Its inline callback carries the nonce the policy allows.
    nonce = reply["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in reply.content.decode()


# --- Request size limits and passwords (newsroom/settings.py) ----------------------


@pytest.mark.django_db
def test_form_data_is_refused_beyond_5_mb_but_a_long_pasted_page_fits(client):
    """More than Django's 2.5 MB default passes (a printed page pasted whole, a long
    story with its inlines); past 5 MB the worker stops reading with a 400."""
    login = {"username": "nobody", "password": "x"}
    fits = client.post("/admin/login/", {**login, "text": "字" * (1024 * 1024)})  # 3 MB of UTF-8
    assert fits.status_code == 200
    too_big = client.post("/admin/login/", {**login, "text": "字" * (2 * 1024 * 1024)})  # 6 MB
    assert too_big.status_code == 400


@pytest.mark.django_db
def test_one_file_too_many_in_a_bulk_upload_is_told_by_the_form_more_is_refused(client):
    client.force_login(make_user(group="记者"))
    limit = settings.PHOTO_BULK_MAX_FILES
    files = [SimpleUploadedFile(f"p{n}.jpg", b"x", content_type="image/jpeg") for n in range(limit + 2)]
    told = client.post("/admin/articles/photo/bulk-upload/", {"files": files[: limit + 1]})
    assert told.status_code == 200
    assert f"一次最多上传 {limit} 张图片，这次选了 {limit + 1} 张" in told.content.decode()
    refused = client.post("/admin/articles/photo/bulk-upload/", {"files": files})
    assert refused.status_code == 400


@pytest.mark.parametrize("password, user", [
    ("zhangwei2024", {"username": "zhangwei", "first_name": "伟", "last_name": "张"}),  # like the name
    ("Ab1!xyz", {}),  # too short
    ("password123", {}),  # common
    ("20240601195", {}),  # only digits
])
def test_weak_passwords_are_refused(password, user):
    """Each is refused by exactly one of the four validators in settings.py."""
    with pytest.raises(ValidationError):
        validate_password(password, user=get_user_model()(**user))


def test_a_strong_password_is_accepted():
    validate_password("gonghui-Xinwen-7319-bianjibu")
