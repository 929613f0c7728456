#!/usr/bin/env python3
"""`make scaleout`: two app servers sharing PostgreSQL and Redis, as on several machines.

Starts two gunicorn instances (ports 8051 and 8052) with production settings on one
PostgreSQL database and one Redis cache, then, as an editor would in the newsroom:
  1. reads the front page from B, so B's answer is in the shared page cache;
  2. publishes a story in review through A's admin (the workflow button's POST);
  3. reads the front page and the story from B at once: it must show the story;
  4. withdraws the story through B's admin;
  5. reads the front page, the story and the latest feed from A at once: all without it.
Both servers are always stopped; all traffic goes to 127.0.0.1. Prints PASS/FAIL lines
and a summary; exits non-zero when a check fails.
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project's packages, for the in-process session
HOST = "127.0.0.1"
PORTS = (8051, 8052)
DB_NAME = os.environ.get("SCALEOUT_DATABASE", "newsroom_scaleout")
WORK = Path(tempfile.mkdtemp(prefix="newsroom-scaleout-"))
ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DB_NAME}",
    "REDIS_URL": os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/12"),
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "PHOTO_ORIGINALS_ROOT": str(WORK / "private"),
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
}
PY = sys.executable
T0 = time.monotonic()


def say(message):
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env={**os.environ, **ENV}, check=True,
                   capture_output=True, text=True)


def prepare():
    """A fresh database with the demo newsroom; the shared cache emptied."""
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", DB_NAME], check=True)
    for args in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        manage(*args)
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()


def start(port):
    log = open(WORK / f"gunicorn-{port}.log", "w")
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "newsroom.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", "2", "--timeout", "30"],
        cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=subprocess.STDOUT,
    )
    for _ in range(100):  # at most 20 s
        try:
            request(port, "GET", "/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn on port {port} did not start; see {log.name}")


def request(port, method, path, cookies=None, body=None):
    """One HTTP request; returns (status, headers, text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.getheaders(), text


def editor_session(username="zhongshen"):
    """A demo editor's session (by default 终审's, who signs off), made in the shared
    database (no password needed)."""
    import django

    os.environ.update(ENV)
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    editor = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def transition(port, cookies, story_id, action, **fields):
    """Press a workflow button in the admin of the server on `port`."""
    from urllib.parse import urlencode

    status, headers, page = request(port, "GET", f"/admin/articles/article/{story_id}/change/", cookies)
    csrf = dict(cookies)
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            csrf["csrftoken"] = value.split(";", 1)[0].split("=", 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # the story as opened
    body = urlencode({"csrfmiddlewaretoken": token, "version": version, **fields})
    status, _, _ = request(port, "POST", f"/admin/articles/article/{story_id}/transition/{action}/",
                           csrf, body)
    return status


def main():
    results = []
    say(f"preparing {DB_NAME} with the demo newsroom; Redis {ENV['REDIS_URL']}")
    prepare()
    servers = []
    try:
        servers = [start(port) for port in PORTS]
        a, b = PORTS
        say(f"gunicorn A on :{a}, B on :{b} (2 workers each), one database, one cache")
        cookies = editor_session()
        from articles.models import Article

        # A demo story waiting at 终审 (初审 and 复审 passed): the final level signs it off.
        story = Article.objects.in_review().filter(review_level__name="终审").order_by("submitted_at").first()
        title, path = story.title, f"/articles/{story.pk}/"

        request(b, "GET", "/")  # B's front page is now in the shared cache
        status = transition(a, cookies, story.pk, "publish", reason="扩容检查：签发")
        started = time.monotonic()
        _, _, front_b = request(b, "GET", "/")
        article_status, _, _ = request(b, "GET", path)
        seen_after = time.monotonic() - started
        results.append((status in (200, 302) and title in front_b and article_status == 200,
                        f"published through A (HTTP {status}); B's front page shows it and B serves "
                        f"the story (HTTP {article_status}) on the very next reads ({seen_after * 1000:.0f} ms)"))

        request(a, "GET", "/feeds/latest/")  # A's feed is cached with the story in it
        status = transition(b, cookies, story.pk, "withdraw", reason="扩容检查：撤回")
        started = time.monotonic()
        _, _, front_a = request(a, "GET", "/")
        gone_status, _, _ = request(a, "GET", path)
        _, _, feed_a = request(a, "GET", "/feeds/latest/")
        gone_after = time.monotonic() - started
        results.append((status in (200, 302) and title not in front_a and gone_status == 404
                        and title not in feed_a,
                        f"withdrawn through B (HTTP {status}); on the very next reads A's front page "
                        f"and feed drop it and the story answers {gone_status} ({gone_after * 1000:.0f} ms)"))
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    print()
    print("SCALE-OUT SUMMARY  (two gunicorn instances, one PostgreSQL, one Redis)")
    for ok, line in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {line}")
    passed = results and all(ok for ok, _ in results)
    print(f"RESULT: {'all checks passed' if passed else 'FAILED'}   (logs: {WORK})")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
