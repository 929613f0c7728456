"""Production settings pass `check --deploy`, and every response carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from .factories import make_article, make_user

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7#Jq2!vR9zX4mL8pT1wY6nB3cF5hD0sG-aE_uI+oP=QrZ@xV.w3n-Tm8",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**base, **env},
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is CKEditor 4's, with its reason next to it in settings.py.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_development_settings_would_fail_check_deploy():
    """The test above can fail: the same check finds DEBUG and the dev key."""
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_production_hardening_values():
    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY)",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["31536000", "True", "True", "True", "DENY", "same-origin"]


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


def test_upload_limits_are_set_on_purpose():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    # A bulk upload of PHOTO_BULK_MAX_FILES photos passes Django's own file count limit
    # (test_photo_admin.py uploads 20 phone-sized photos in one request).
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > settings.PHOTO_BULK_MAX_FILES >= 20


def test_password_validators_are_configured():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator", "MinimumLengthValidator",
        "CommonPasswordValidator", "NumericPasswordValidator",
    }
