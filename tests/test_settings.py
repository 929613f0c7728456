"""Settings come from the environment and fail loudly when production lacks a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'],"
        " settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.USE_TZ)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
    )


def test_development_defaults_are_sqlite_and_local_memory():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "django.db.backends.sqlite3", "django.core.cache.backends.locmem.LocMemCache",
        "Asia/Shanghai", "zh-hans", "True",
    ]


def test_production_without_a_secret_key_refuses_to_start():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_reads_database_and_redis_from_the_environment():
    result = load_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="news.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom", REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    debug, engine, cache = result.stdout.split()[:3]
    assert (debug, engine, cache) == (
        "False", "django.db.backends.postgresql", "django.core.cache.backends.redis.RedisCache",
    )


def test_a_misspelt_debug_flag_is_an_error_not_a_guess():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0 and "DJANGO_DEBUG must be 1 or 0" in result.stderr
