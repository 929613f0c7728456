#!/usr/bin/env python
"""`make soak`: the newsroom under load and faults, on PostgreSQL under gunicorn.

For SOAK_SECONDS (default 180) with production settings (DEBUG off, Redis cache):
- readers request public pages, feeds and searches (cached and uncached), about a
  third with a random query string the page does not read and a third with stray
  cookies (analytics, a made-up session id): both must be served from the cache;
- an editorial script files, submits, publishes, withdraws and corrects stories
  through articles.services.workflow, and checks that each withdrawn story is gone from
  its page, the front page, its union page, the feed and search within 1 s, also
  when asked with a stray query string and cookies;
- two editors race saves of one story through workflow.save_article with
  expected_version: every accepted save must be in the log (ArticleEvent) and
  in the version counter, every refused one must have been StaleVersion, and
  no accepted save may be overwritten by another.
Then, with SOAK_OUTAGE=1 (the default), PostgreSQL is stopped for ten seconds:
cached pages must stay 200, others must be 503 with Retry-After, never 500,
and everything must work again afterwards.

Only 127.0.0.1; every loop is bounded by a deadline. Exit status 0 = all passed.
Variables: SOAK_SECONDS, SOAK_OUTAGE (1/0), SOAK_PORT (8041), SOAK_DATABASE
(newsroom_soak), SOAK_REDIS_URL (redis://127.0.0.1:6379/11), SOAK_PG_CLUSTER ("15 main").
"""

import http.client
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
OUTAGE = os.environ.get("SOAK_OUTAGE", "1") == "1"
OUTAGE_SECONDS = 10
PORT = int(os.environ.get("SOAK_PORT", "8041"))
HOST = "127.0.0.1"
DB_NAME = os.environ.get("SOAK_DATABASE", "newsroom_soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/11")
PG_CLUSTER = os.environ.get("SOAK_PG_CLUSTER", "15 main").split()
READERS = 6
WORKERS = 4
VISIBLE_WITHIN = 1.0  # seconds

WORK = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DB_NAME}",
    "REDIS_URL": REDIS_URL,
    "STATIC_ROOT": str(WORK / "static"),
    "MEDIA_ROOT": str(WORK / "media"),
    "PHOTO_ORIGINALS_ROOT": str(WORK / "private"),
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    # Workflow mails stay in memory: there is no SMTP server to talk to here.
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
T0 = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - T0:6.1f}s] {text}", flush=True)


def run(*command, quiet=True):
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=quiet, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return result


# --- HTTP ---------------------------------------------------------------------


class Client:
    """One keep-alive connection, as a reader's browser behind the TLS proxy."""

    def __init__(self):
        self.conn = None

    def get(self, path, cookie=None):
        headers = {"X-Forwarded-Proto": "https", "Host": HOST}
        if cookie:
            headers["Cookie"] = cookie
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=15)
            try:
                self.conn.request("GET", quote(path, safe="/?=&+:%;"), headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, dict(response.getheaders()), body.decode("utf-8", "replace")
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, {}, ""
        return 0, {}, ""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.status = Counter()
        self.errors = []  # (path, status)

    def record(self, path, status):
        with self.lock:
            self.status[status] += 1
            if status >= 500 or status == 0:
                self.errors.append((path, status))

    def summary(self):
        with self.lock:
            by_class = Counter()
            for status, n in self.status.items():
                by_class[f"{status // 100}xx" if status else "no answer"] += n
            return sum(self.status.values()), by_class


# --- the phases ---------------------------------------------------------------


def prepare():
    say(f"preparing database {DB_NAME}, Redis {REDIS_URL}, files in {WORK}")
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", DB_NAME], check=True)
    run(PY, "manage.py", "migrate", "--noinput")
    run(PY, "manage.py", "load_demo")
    run(PY, "manage.py", "collectstatic", "--noinput")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def start_gunicorn():
    log = open(WORK / "gunicorn.log", "w")
    process = subprocess.Popen(
        [GUNICORN, "newsroom.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", str(WORKERS),
         "--timeout", "30", "--graceful-timeout", "5", "--keep-alive", "5"],
        cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=subprocess.STDOUT,
    )
    client = Client()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if client.get("/robots.txt")[0] == 200:
            say(f"gunicorn ({WORKERS} workers, pid {process.pid}) serving http://{HOST}:{PORT}/")
            return process
        time.sleep(0.3)
    process.terminate()
    sys.exit(f"gunicorn did not start; see {WORK / 'gunicorn.log'}")


def stray(path, rng):
    """`path` with a query string the page does not read (the cache must ignore it)."""
    return path + ("&" if "?" in path else "?") + f"utm_source=soak&x={rng.randrange(10**9)}"


def stray_cookie(rng):
    """Cookies of an anonymous reader: analytics, and a session id that is no session."""
    return f"_ga=GA1.2.{rng.randrange(10**9)}; sessionid={secrets.token_hex(16)}"


def reader(urls, stats, stop, rng):
    client = Client()
    while not stop.is_set():
        if rng.random() < 0.15:  # an uncached search: it reaches the database
            path = f"/search/?q=工会+{rng.randrange(10**6)}"
        else:
            path = rng.choice(urls)
        if rng.random() < 0.3:  # random query strings and cookies must not bypass the cache
            path = stray(path, rng)
        cookie = stray_cookie(rng) if rng.random() < 0.3 else None
        status, _, _ = client.get(path, cookie)
        stats.record(path, status)


class Editorial:
    """Files, publishes, withdraws and corrects stories; checks what readers see."""

    def __init__(self, stats):
        from django.contrib.auth import get_user_model

        from articles.models import UnionBody

        users = get_user_model().objects
        self.reporter, self.editor = users.get(username="reporter"), users.get(username="editor")
        # 三审三校: the demo's editor of each level, in order.
        self.levels = [users.get(username=name) for name in ("chushen", "fushen", "zhongshen")]
        self.body = UnionBody.objects.filter(is_active=True).first()
        self.stats, self.client = stats, Client()
        self.counts = Counter()
        self.withdraw_times, self.publish_times, self.failures = [], [], []
        self.still_shown, self.recheck_times = set(), []

    def public_paths(self, article, token):
        rng = random.Random(token)
        # The same pages with a stray query string (fetched with stray cookies too):
        # the cache keys them as the plain page, which must never keep a withdrawn story.
        return [article.get_absolute_url(), "/", self.body.get_absolute_url(), "/feeds/latest/",
                f"/search/?q={token}", stray("/", rng), stray(self.body.get_absolute_url(), rng),
                stray(article.get_absolute_url(), rng)]

    def fetch(self, path):
        cookie = stray_cookie(random.Random()) if "utm_source=soak" in path else None
        status, headers, body = self.client.get(path, cookie)
        self.stats.record(path, status)
        return status, headers, body

    def wait_until(self, check, what):
        """Poll until check() is true; the seconds it took, or None after VISIBLE_WITHIN * 3."""
        started = time.monotonic()
        while time.monotonic() - started < VISIBLE_WITHIN * 3:
            if check():
                return time.monotonic() - started
            time.sleep(0.02)
        self.failures.append(what)
        return None

    def shows(self, path, text):
        status, _, body = self.fetch(path)
        return status == 200 and re.search(text, body) is not None

    def gone(self, path, text):
        sent = time.monotonic()
        status, _, body = self.fetch(path)
        if status == 404 or (status == 200 and re.search(text, body) is None):
            return True
        self.still_shown.add(path)
        # How long after the withdrawal a request could still see the story.
        self.last_seen = max(self.last_seen, sent - self.withdrawn_at)
        return False

    @staticmethod
    def link_to(article):
        """A link to the story (page, lists, feed, search results); not the search box's echo."""
        return re.escape(article.get_absolute_url()) + r'(?=["<])'

    def cycle(self, n):
        from articles.models import Article
        from articles.services import workflow

        token = f"soak{n}x{secrets.token_hex(3)}"
        title = f"压力测试稿件 {token}"
        article = Article(title=title, body=f"<p>职工之家 {token} 正文。</p>", lead="压力测试")
        workflow.save_article(article=article, user=self.reporter)
        article.union_bodies.add(self.body)
        workflow.submit(article=article, user=self.reporter)
        sign_off(article, self.levels)
        self.counts["published"] += 1
        paths, link = self.public_paths(article, token), self.link_to(article)
        shown = [p for p in paths if p != article.get_absolute_url()]
        took = self.wait_until(
            lambda: self.shows(article.get_absolute_url(), re.escape(token))
            and all(self.shows(p, link) for p in shown), f"{title} not shown")
        if took is not None:
            self.publish_times.append(took)
        if n % 3 == 2:  # a correction
            corrected = f"{title}（更正）"
            article.title = corrected
            workflow.save_article(article=article, user=self.editor,
                                  expected_version=article.version, note="更正标题")
            self.counts["corrected"] += 1
            self.wait_until(lambda: self.shows(article.get_absolute_url(), "（更正）"),
                            f"{title}: correction not shown")
        if n % 2 == 0:
            workflow.withdraw(article=article, user=self.editor, reason="压力测试撤稿")
            self.withdrawn_at, self.last_seen = time.monotonic(), 0.0
            self.counts["withdrawn"] += 1
            self.still_shown = set()
            took = self.wait_until(lambda: all([self.gone(p, link) for p in paths]),
                                   f"{title}: still public after withdrawal")
            if took is None:
                self.failures[-1] += f" on {sorted(self.still_shown)}"
            self.withdraw_times.append(self.last_seen)
            self.recheck_times.append(took or 0)

    def run(self, stop, first=0):
        from django.db import close_old_connections

        n = first
        while not stop.is_set():
            try:
                self.cycle(n)
            except Exception as error:  # noqa: BLE001  reported in the summary
                self.failures.append(f"cycle {n}: {error!r}")
            close_old_connections()
            n += 1
            stop.wait(0.2)
        return n


def sign_off(article, levels):
    """Pass 初审 and 复审 and sign off at 终审, one demo editor each (三审三校)."""
    from articles.services import workflow

    first, second, final = levels
    workflow.pass_level(article=article, user=first, opinion="压力测试：初审同意")
    workflow.pass_level(article=article, user=second, opinion="压力测试：复审同意")
    workflow.publish(article=article, user=final, opinion="压力测试：签发")


class Race:
    """Two editors save the same published story at once, each with the version it read."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from articles.models import Article
        from articles.services import revisions, workflow

        User = get_user_model()
        self.editors = [User.objects.get(username="editor")]
        second, _ = User.objects.get_or_create(username="editor2", defaults={"is_staff": True})
        second.groups.add(Group.objects.get(name="编辑"))
        self.editors.append(second)
        story = Article(title="两位编辑同时修改的稿件", body="<p>开始。</p>")
        workflow.save_article(article=story, user=self.editors[0])
        workflow.submit(article=story, user=self.editors[0])
        sign_off(story, [User.objects.get(username=name) for name in ("chushen", "fushen", "zhongshen")])
        self.pk, self.start_version = story.pk, Article.objects.get(pk=story.pk).version
        self.start_revisions = revisions.history(story).count()
        self.lock = threading.Lock()
        self.accepted, self.refused, self.other_errors = [], 0, []

    def editor(self, index, stop):
        from django.db import connection

        from articles.models import Article
        from articles.services import workflow

        rng, n = random.Random(index), 0
        while not stop.is_set():
            n += 1
            story = Article.objects.get(pk=self.pk)
            marker = f"editor{index}-{n}"
            story.body = f"{story.body}<p>{marker}</p>"
            time.sleep(rng.random() * 0.01)  # "typing": the other editor may save meanwhile
            try:
                workflow.save_article(article=story, user=self.editors[index],
                                      expected_version=story.version, note=marker)
            except workflow.StaleVersion:
                with self.lock:
                    self.refused += 1
            except Exception as error:  # noqa: BLE001  reported in the summary
                with self.lock:
                    self.other_errors.append(repr(error))
            else:
                with self.lock:
                    self.accepted.append(marker)
        connection.close()

    def verdict(self):
        from articles.models import Article, ArticleEvent
        from articles.services import revisions

        story = Article.objects.get(pk=self.pk)
        logged = list(
            ArticleEvent.objects.filter(article_id=self.pk, action=ArticleEvent.Action.CORRECTED)
            .order_by("created_at", "id").values_list("comment", flat=True)
        )
        lost = [m for m in self.accepted if f"<p>{m}</p>" not in story.body]
        # django-reversion: one new version per accepted save, none for a refused one.
        kept = list(revisions.history(story))
        added = len(kept) - self.start_revisions
        bodies = [version.field_dict.get("body", "") for version in kept]
        unversioned = [m for m in self.accepted if not any(f"<p>{m}</p>" in b for b in bodies)]
        return {
            "accepted": len(self.accepted), "refused": self.refused, "revisions": added,
            "unversioned": unversioned,
            "increments": story.version - self.start_version, "logged": len(logged),
            "logged_match": sorted(logged) == sorted(self.accepted), "overwritten": lost,
            "errors": self.other_errors,
        }


def pg(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action,
                    *(["-m", "fast"] if action == "stop" else [])], check=True)


def pg_ready():
    return subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", "5432"]).returncode == 0


def outage(cached_paths, stats):
    """PostgreSQL down for OUTAGE_SECONDS: what do readers get?"""
    client = Client()
    for path in cached_paths:  # make sure they are in the cache
        client.get(path)
    seen = {"cached": Counter(), "uncached": Counter()}
    missing_retry_after = 0
    say(f"stopping PostgreSQL ({' '.join(PG_CLUSTER)}) for {OUTAGE_SECONDS} s")
    pg("stop")
    stopped = time.monotonic()
    try:
        n = 0
        while time.monotonic() - stopped < OUTAGE_SECONDS:
            n += 1
            path = cached_paths[n % len(cached_paths)]
            status, _, _ = client.get(path)
            seen["cached"][status] += 1
            status, headers, body = client.get(f"/search/?q=停电{n}")
            seen["uncached"][status] += 1
            if status == 503 and headers.get("Retry-After") != "30":
                missing_retry_after += 1
            time.sleep(0.05)
    finally:
        pg("start")
    deadline = time.monotonic() + 60
    while not pg_ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    say("PostgreSQL is back; waiting for the site to recover by itself")
    back = time.monotonic()
    recovered = None
    while time.monotonic() - back < 60:
        if client.get(f"/search/?q=恢复{secrets.token_hex(3)}")[0] == 200:
            recovered = time.monotonic() - back
            break
        time.sleep(0.2)
    return seen, missing_retry_after, recovered


# --- main ---------------------------------------------------------------------


def main():
    # A plain kill must still stop gunicorn and restart PostgreSQL (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("soak stopped (SIGTERM)"))
    if shutil.which("pg_ctlcluster") is None and OUTAGE:
        sys.exit("pg_ctlcluster not found: run with SOAK_OUTAGE=0")
    prepare()
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import connections

    from articles.models import Article, UnionBody

    gunicorn = start_gunicorn()
    results, ok = [], True
    try:
        stats = Stats()
        articles = [a.get_absolute_url() for a in Article.objects.published()[:40]]
        unions = [b.get_absolute_url() for b in UnionBody.objects.all()[:15]]
        urls = ["/", "/unions/", "/archive/", "/photos/", "/feeds/latest/", "/feeds/latest/atom/",
                "/sitemap.xml", "/robots.txt", "/search/?q=工会", "/search/?q=职工", "/articles/999999/",
                *articles, *unions]
        editorial, race = Editorial(stats), Race()
        stop = threading.Event()
        threads = [threading.Thread(target=reader, args=(urls, stats, stop, random.Random(i)), daemon=True)
                   for i in range(READERS)]
        threads += [threading.Thread(target=race.editor, args=(i, stop), daemon=True) for i in range(2)]
        cycles = {}
        threads.append(threading.Thread(target=lambda: cycles.setdefault("n", editorial.run(stop)), daemon=True))
        say(f"load for {SECONDS} s: {READERS} readers, 1 editorial script, 2 racing editors")
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            time.sleep(min(10, max(0, deadline - time.monotonic())))
            total, by_class = stats.summary()
            say(f"requests {total} ({', '.join(f'{k} {v}' for k, v in sorted(by_class.items()))}) · "
                f"stories published {editorial.counts['published']}, withdrawn {editorial.counts['withdrawn']}, "
                f"corrected {editorial.counts['corrected']} · race saves accepted {len(race.accepted)}, "
                f"refused {race.refused}")
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        total, by_class = stats.summary()
        five = [e for e in stats.errors]
        results.append((not five, f"{total} requests, 5xx or no answer: {len(five)}"
                        + (f" e.g. {five[:3]}" if five else "")))
        slowest = max(editorial.withdraw_times, default=0)
        results.append((
            not editorial.failures and slowest <= VISIBLE_WITHIN,
            f"{editorial.counts['withdrawn']} withdrawn stories gone from page, front, union page, feed "
            f"and search: the longest any request still saw one after its withdrawal {slowest * 1000:.0f} ms "
            f"(limit {VISIBLE_WITHIN * 1000:.0f} ms); all five pages re-read clean within "
            f"{max(editorial.recheck_times, default=0) * 1000:.0f} ms"
            + (f"; failures: {editorial.failures[:3]}" if editorial.failures else ""),
        ))
        results.append((True, f"{editorial.counts['published']} published, {editorial.counts['corrected']} "
                        f"corrected; slowest to appear {max(editorial.publish_times, default=0) * 1000:.0f} ms"))
        verdict = race.verdict()
        results.append((
            verdict["accepted"] == verdict["increments"] == verdict["logged"] == verdict["revisions"]
            and verdict["logged_match"] and not verdict["unversioned"]
            and not verdict["overwritten"] and not verdict["errors"] and verdict["accepted"] > 0
            and verdict["refused"] > 0,
            f"race: {verdict['accepted']} saves accepted = {verdict['revisions']} new revisions = "
            f"{verdict['increments']} version increments = "
            f"{verdict['logged']} logged corrections; {verdict['refused']} refused with StaleVersion; "
            f"overwritten: {len(verdict['overwritten'])}; other errors: {len(verdict['errors'])}",
        ))

        if OUTAGE:
            cached = ["/", "/unions/", "/feeds/latest/", *articles[:5]]
            connections.close_all()
            seen, no_retry, recovered = outage(cached, stats)
            connections.close_all()
            cached_ok = set(seen["cached"]) == {200}
            uncached_ok = set(seen["uncached"]) <= {503} and no_retry == 0
            results.append((cached_ok, f"outage: cached pages answered {dict(seen['cached'])}"))
            results.append((uncached_ok, f"outage: other pages answered {dict(seen['uncached'])}"
                            f" (Retry-After missing on {no_retry}); never 500"))
            results.append((recovered is not None,
                            f"recovered by itself {recovered:.1f} s after PostgreSQL came back"
                            if recovered is not None else "did NOT recover within 60 s"))
            after = Stats()
            editorial.stats = after
            editorial.failures = []
            for n in range(10_000, 10_004):
                editorial.cycle(n)
            total, by_class = after.summary()
            results.append((not editorial.failures and not after.errors,
                            f"after the outage: 4 editorial cycles, {total} requests, "
                            f"{dict(by_class)}; failures: {len(editorial.failures)}"))
        else:
            results.append((True, "outage skipped (SOAK_OUTAGE=0)"))
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        if OUTAGE and not pg_ready():
            pg("start")

    print("\n" + "=" * 72)
    print(f"SOAK SUMMARY  ({SECONDS} s of load, PostgreSQL {DB_NAME}, gunicorn × {WORKERS}, Redis cache)")
    print("=" * 72)
    for passed, line in results:
        ok = ok and passed
        print(f"  {'PASS' if passed else 'FAIL'}  {line}")
    print("=" * 72)
    print("RESULT: " + ("all checks passed" if ok else "FAILED") + f"   (log: {WORK / 'gunicorn.log'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
