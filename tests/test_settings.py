"""The settings fail closed: without DJANGO_DEBUG the site is production, and production
refuses to start without its own secret key and host names.

Each test starts Django in a fresh interpreter with a cleaned environment: none
of the variables newsroom/settings.py reads, only those given here.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a bare shell has; nothing that configures the site (DJANGO_*, DATABASE_URL, …).
KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
SECRET = "k7#Jq2!vR9zX4mL8pT1wY6nB3cF5hD0sG-aE_uI+oP=QrZ@xV.w3n-Tm8"


def start_django(code="", **env):
    """`import django; django.setup()` (then `code`) in a fresh interpreter with only `env` set."""
    base = {name: os.environ[name] for name in KEEP if name in os.environ}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
    )


def refused(result, variable):
    return (
        result.returncode != 0
        and "ImproperlyConfigured" in result.stderr
        and f"{variable} is required in production" in result.stderr
    )


PRINT_DEBUG = "from django.conf import settings; print('DEBUG', settings.DEBUG)"


def test_without_django_debug_and_without_a_secret_key_the_site_refuses_to_start():
    result = start_django(PRINT_DEBUG)
    assert refused(result, "DJANGO_SECRET_KEY"), result.stdout + result.stderr
    assert "DEBUG" not in result.stdout
    assert "For development set DJANGO_DEBUG=1" in result.stderr


def test_an_empty_django_debug_counts_as_unset():
    assert refused(start_django(PRINT_DEBUG, DJANGO_DEBUG=""), "DJANGO_SECRET_KEY")


def test_without_django_debug_a_configured_site_runs_with_debug_off():
    result = start_django(PRINT_DEBUG, DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DEBUG", "False"]


def test_production_without_host_names_refuses_to_start():
    result = start_django(PRINT_DEBUG, DJANGO_SECRET_KEY=SECRET)
    assert refused(result, "DJANGO_ALLOWED_HOSTS"), result.stdout + result.stderr


def test_production_refuses_the_development_key_everyone_can_read():
    result = start_django(
        PRINT_DEBUG, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example.org",
        DJANGO_SECRET_KEY="dev-insecure-key-do-not-use-in-production",
    )
    assert refused(result, "DJANGO_SECRET_KEY"), result.stdout + result.stderr


def test_development_is_asked_for_and_needs_no_secrets():
    result = start_django(PRINT_DEBUG, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DEBUG", "True"]


def test_a_misspelt_debug_flag_is_an_error_not_a_guess():
    result = start_django(PRINT_DEBUG, DJANGO_DEBUG="maybe")
    assert result.returncode != 0 and "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_production_reads_database_and_redis_from_the_environment():
    result = start_django(
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'])",
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="news.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom", REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "newsroom.cache.RedisCache",
    ]


def test_the_redis_backend_reuses_one_client_and_behaves_as_djangos():
    """newsroom.cache keeps one redis-py client per pool (Django builds one per call)."""
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    from newsroom.cache import RedisCache

    ours = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "newsroom-test"})
    assert ours._cache.get_client() is ours._cache.get_client(write=True)
    djangos = DjangoRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "newsroom-test"})
    assert djangos._cache.get_client() is not djangos._cache.get_client()  # why ours exists
    try:
        ours.set("k", {"a": 1})
    except Exception as error:  # noqa: BLE001  no Redis on this machine
        pytest.skip(f"no Redis at 127.0.0.1:6379: {error}")
    assert ours.get_many(["k", "missing"]) == {"k": {"a": 1}} == djangos.get_many(["k", "missing"])
    ours.delete("k")


def test_postgresql_connections_run_without_jit_and_keep_options_from_the_url():
    """JIT compiling took ~8 ms for search probes that run in 0.1 ms on a million stories."""
    result = start_django(
        "from django.conf import settings; from django.db import connection\n"
        "print(settings.DATABASES['default']['OPTIONS']['options'])\n"
        "try:\n"
        "    cursor = connection.cursor()\n"
        "except Exception:\n"
        "    print('NO-SERVER'); raise SystemExit\n"
        "cursor.execute('SHOW jit'); jit = cursor.fetchone()[0]\n"
        "cursor.execute('SHOW statement_timeout'); print(jit, cursor.fetchone()[0])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?options=-c%20statement_timeout%3D5000",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "-c statement_timeout=5000 -c jit=off"
    if lines[1] == "NO-SERVER":
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    assert lines[1] == "off 5s"


PREPARED = (
    "from django.db import connection\n"
    "try:\n"
    "    cursor = connection.cursor()\n"
    "except Exception:\n"
    "    print('NO-SERVER'); raise SystemExit\n"
    "for pk in range(8):\n"
    "    cursor.execute('SELECT %s + 1', [pk])\n"
    "cursor.execute('SELECT count(*) FROM pg_prepared_statements')\n"
    "print(type(cursor.cursor).__name__, cursor.fetchone()[0] > 0)"
)


@pytest.mark.parametrize("flag, expected", [(None, "ServerBindingCursor True"), ("0", "Cursor False")])
def test_postgresql_plans_repeated_queries_once_unless_told_not_to(flag, expected):
    """Server-side binding with prepared statements: a query run more than five times on a
    connection is planned once. NEWSROOM_DB_PREPARED=0 (a pooler in transaction mode)
    goes back to Django's default, parameters bound in the client and nothing prepared."""
    env = {"NEWSROOM_DB_PREPARED": flag} if flag else {}
    result = start_django(PREPARED, DJANGO_DEBUG="1",
                          DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", **env)
    assert result.returncode == 0, result.stderr
    if result.stdout.strip() == "NO-SERVER":
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    assert result.stdout.strip() == expected
