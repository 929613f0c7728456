#!/usr/bin/env python3
"""`make bench`: the newsroom's pages under load, at two archive sizes, cache on and off.

For each size (BENCH_SIZES, default 10000,100000 stories) this script:
  1. creates the PostgreSQL database newsroom_bench_<small|large|…> if needed, migrates it
     and fills it with `manage.py bench_data --reuse` (kept between runs when the size is right);
  2. for the page cache on, then off (NEWSROOM_PAGE_CACHE=1/0): empties the bench Redis
     database, counts every page's queries with `manage.py bench_probe` (Django's test
     Client against the same database), starts gunicorn on 127.0.0.1 with production
     settings, warms each page up and measures it with wrk, then stops gunicorn;
  3. in process (`manage.py bench_render`): the first render of the front page, a union page
     and a story right after a publish ÷ a warm uncached render, and the admin story list
     for an editor (ms per request, queries); under gunicorn with the cache on, each
     worker's resident memory after 2,000 and 10,000 mixed requests;
  4. writes bench/results.json and bench/results.md and refreshes README's Performance table.

Servers are always stopped, also on errors and Ctrl-C; every wait is bounded; all traffic
goes to 127.0.0.1. Knobs (environment): BENCH_SIZES, BENCH_DURATION (s, 5),
BENCH_THREADS (2), BENCH_CONNECTIONS (8), BENCH_WORKERS (nproc), BENCH_PG
(postgres://postgres@127.0.0.1:5432), BENCH_DB_PREFIX (newsroom_bench), BENCH_REDIS
(redis://127.0.0.1:6379), BENCH_REDIS_DB (9, flushed by the run), BENCH_PORTS (8031-8039),
BENCH_PER_DAY (30 stories a day), BENCH_RESET=1 (drop and regenerate the databases;
also done by itself when a database lacks one of articles/migrations), BENCH_README=0 (leave README alone).
"""

import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench"
VENV = ROOT / ".venv" / "bin"
PYTHON = VENV / "python"
LABELS = {1_000: "tiny", 10_000: "small", 100_000: "large", 1_000_000: "xlarge"}
HOST = "127.0.0.1"
README_START, README_END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def env(name, default):
    return os.environ.get(name, "").strip() or default


SIZES = [int(s.replace("_", "")) for s in env("BENCH_SIZES", "10000,100000").split(",")]
DURATION = int(env("BENCH_DURATION", "5"))
THREADS = int(env("BENCH_THREADS", "2"))
CONNECTIONS = int(env("BENCH_CONNECTIONS", "8"))
WORKERS = int(env("BENCH_WORKERS", str(os.cpu_count() or 2)))
PG = env("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_PREFIX = env("BENCH_DB_PREFIX", "newsroom_bench")
REDIS = env("BENCH_REDIS", "redis://127.0.0.1:6379").rstrip("/")
REDIS_DB = int(env("BENCH_REDIS_DB", "9"))
PORT_LOW, PORT_HIGH = (int(p) for p in env("BENCH_PORTS", "8031-8039").split("-"))
RESET = env("BENCH_RESET", "0") == "1"
PER_DAY = int(env("BENCH_PER_DAY", "30"))
UPDATE_README = env("BENCH_README", "1") == "1"
SECRET = "bench-" + secrets.token_urlsafe(32)


def say(message):
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def label_of(size):
    return LABELS.get(size, f"n{size}")


def django_env(database, cache_on):
    """Production settings, as the site runs behind a proxy, but over plain http on loopback."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": f"{REDIS}/{REDIS_DB}",
        "STATIC_ROOT": str(HERE / ".static"),
        "MEDIA_ROOT": str(HERE / ".media"),
        "NEWSROOM_PAGE_CACHE": "1" if cache_on else "0",
        # wrk is one client at thousands of requests a second: the API's per-address
        # limit (still counted on every request) must not refuse it.
        "NEWSROOM_API_ANON_PER_MINUTE": "1000000000",
        "PYTHONUNBUFFERED": "1",
    }


def manage(args, environ, capture=False, timeout=None):
    command = [str(PYTHON), "manage.py", *args]
    if capture:
        done = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True,
                              timeout=timeout or 600)
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout
    subprocess.run(command, cwd=ROOT, env=environ, check=True, timeout=timeout or 1800)
    return ""


# --- Prerequisites --------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    say("wrk 不在，用 apt-get 安装 …")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True, timeout=600)
    if not shutil.which("wrk"):
        raise SystemExit("wrk could not be installed (apt-get install wrk).")


def stale_schema(name):
    """True if the bench database lacks one of the project's own migrations.

    A migration added since the data was generated (a search index filled for
    every story, say) could take far longer on a full archive than generating
    it again, and the data would miss what the new code writes beside a story.
    """
    import psycopg

    wanted = {p.stem for p in (ROOT / "articles" / "migrations").glob("[0-9]*.py")}
    with psycopg.connect(f"{PG}/{name}", connect_timeout=5) as conn:
        try:
            applied = {row[0] for row in conn.execute(
                "SELECT name FROM django_migrations WHERE app = 'articles'")}
        except psycopg.errors.UndefinedTable:
            return False
    return bool(applied) and not wanted <= applied


def ensure_database(name):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and (RESET or stale_schema(name)):
            say(f"{name} 的数据是旧版本生成的（或 BENCH_RESET=1），删除后重建")
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            say(f"创建数据库 {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
        return conn.execute("SHOW server_version").fetchone()[0]


def flush_cache():
    import redis

    redis.Redis.from_url(f"{REDIS}/{REDIS_DB}", socket_timeout=5).flushdb()


def machine(pg_version):
    def first(path, key):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else None,
        "cpu": first("/proc/cpuinfo", "model name"),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).split(" [")[0].strip(),
        "kernel": platform.release(),
        "commit": commit,
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "load": {"threads": THREADS, "connections": CONNECTIONS, "duration_s": DURATION,
                 "gunicorn_workers": WORKERS},
    }


# --- gunicorn -------------------------------------------------------------------


def free_port():
    for port in range(PORT_LOW, PORT_HIGH + 1):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
                return port
            except OSError:
                continue
    raise SystemExit(f"no free port in {PORT_LOW}-{PORT_HIGH}")


class Server:
    """gunicorn in its own process group; `with Server(...)` always stops it."""

    def __init__(self, environ, log):
        self.environ, self.log, self.process = environ, log, None
        self.port = free_port()

    def __enter__(self):
        command = [str(VENV / "gunicorn"), "newsroom.wsgi:application",
                   "--bind", f"{HOST}:{self.port}", "--workers", str(WORKERS),
                   "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5",
                   "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.environ,
                                        start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {self.log}")
            if get(self.port, "/healthz")[0] == 200:
                return self
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {self.log}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)  # our gunicorn and its workers only
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def get(port, url, cookie=None):
    """(status, bytes) of one GET, without following redirects; (None, 0) if unreachable."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, len(body)
    except OSError:
        return None, 0


def wrk(port, url, cookie, duration, threads, connections):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "10s", "-s", str(HERE / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{url}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"wrk gave no result for {url}:\n{done.stdout}\n{done.stderr}")


def worker_rss_kib(server):
    """{worker pid: resident memory in KiB} of the server's gunicorn workers."""
    pid = server.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return {}
    rss = {}
    for child in children:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[int(child)] = int(line.split()[1])
        except OSError:
            continue
    return rss


def mixed_requests(server, pages, total=10_000, checkpoint=2_000):
    """`total` requests over the public pages, with random query strings and cookies
    now and then (as readers and bots send them); worker memory at `checkpoint` and at the end."""
    import random

    rng = random.Random(19)
    urls = [p["url"] for key, p in pages.items() if not p["missing"] and key != "admin"]
    snapshots, failures = {}, 0
    for n in range(1, total + 1):
        url = rng.choice(urls)
        if rng.random() < 0.3:
            url += ("&" if "?" in url else "?") + f"utm_source={rng.randrange(10**6)}"
        cookie = f"_ga=GA1.{rng.randrange(10**9)}" if rng.random() < 0.3 else None
        status, _ = get(server.port, url, cookie)
        failures += status is None or status >= 500
        if n in (checkpoint, total):
            snapshots[n] = worker_rss_kib(server)
    first, last = snapshots.get(checkpoint, {}), snapshots.get(total, {})
    return {
        "requests": total, "checkpoint": checkpoint, "failures": failures,
        "workers": [{"pid": pid, f"rss_mib_at_{checkpoint}": round(first[pid] / 1024, 1),
                     f"rss_mib_at_{total}": round(last[pid] / 1024, 1),
                     "growth_mib": round((last[pid] - first[pid]) / 1024, 1)}
                    for pid in sorted(first) if pid in last],
    }


# --- One size -------------------------------------------------------------------


def bench_size(size):
    database = f"{DB_PREFIX}_{label_of(size)}"
    pg_version = ensure_database(database)
    base = django_env(database, cache_on=True)
    say(f"{size:,} 篇：迁移 {database}")
    manage(["migrate", "--noinput", "-v", "0"], base)
    say(f"{size:,} 篇：准备数据")
    started = time.monotonic()
    # About 3 ms a story with its search postings on a quiet 2-core machine: a million
    # take most of an hour, so the bound grows with the size (20 ms a story, 30 min at least).
    manage(["bench_data", "--articles", str(size), "--per-day", str(PER_DAY), "--reuse"], base,
           timeout=max(1800, size // 50))
    result = {"size": size, "database": database, "data_seconds": round(time.monotonic() - started, 1),
              "modes": {}}
    flush_cache()
    say(f"{size:,} 篇：发稿后首次渲染与后台稿件列表（进程内）")
    result["render"] = json.loads(manage(["bench_render"], base, capture=True).strip().splitlines()[-1])
    for key, page in result["render"]["post_publish"].items():
        say(f"  {key:<10} 未缓存 {page['uncached_ms']:.1f} ms，发稿后首次 {page['after_publish_ms']:.1f} ms，"
            f"{page['ratio']:.2f}×（CPU {page.get('cpu_ratio', 0):.2f}×）")
    admin = result["render"]["admin"]
    if admin:
        say(f"  后台稿件列表 {admin['ms']:.1f} ms/次（CPU {admin.get('cpu_ms', 0):.1f} ms），{admin['queries']} 个查询")
    for cache_on in (True, False):
        mode = "cache_on" if cache_on else "cache_off"
        environ = django_env(database, cache_on)
        flush_cache()
        say(f"{size:,} 篇，{mode}：统计查询数")
        probe = json.loads(manage(["bench_probe"], environ, capture=True).strip().splitlines()[-1])
        pages = probe["pages"]
        log = HERE / f".gunicorn-{label_of(size)}-{mode}.log"
        with Server(environ, log) as server:
            say(f"{size:,} 篇，{mode}：gunicorn :{server.port}，{WORKERS} 个 worker")
            for key, page in pages.items():
                if page["missing"]:
                    say(f"  {key:<10} 缺（{page['url'] or '无网址'}）")
                    continue
                cookie = probe["cookie"] if key == "admin" else None
                page["live_status"], _ = get(server.port, page["url"], cookie)
                wrk(server.port, page["url"], cookie, 1, 1, 2)  # warm up (and fill the cache)
                page["wrk"] = wrk(server.port, page["url"], cookie, DURATION, THREADS, CONNECTIONS)
                w = page["wrk"]
                say(f"  {key:<10} {w['rps']:8.1f} req/s  p50 {w['p50_ms']:7.1f}  p95 "
                    f"{w['p95_ms']:7.1f}  p99 {w['p99_ms']:7.1f} ms  "
                    f"HTTP {page['live_status']}  {page['queries']} 查询")
            if cache_on:
                say(f"{size:,} 篇，{mode}：10,000 次混合请求，看 worker 内存")
                result["memory"] = mixed_requests(server, pages)
                for w in result["memory"]["workers"]:
                    say(f"  worker {w['pid']}: {w['rss_mib_at_2000']} MiB → {w['rss_mib_at_10000']} MiB")
        ceiling = pages["healthz"].get("wrk", {}).get("rps")
        for page in pages.values():
            if "wrk" in page and ceiling:
                page["ratio_to_ceiling"] = round(page["wrk"]["rps"] / ceiling, 4)
        result["modes"][mode] = {"pages": pages, "published": probe["published"]}
    return result, pg_version


# --- Reports --------------------------------------------------------------------


def fmt_ms(w):
    return f"{w['p50_ms']:.1f} / {w['p95_ms']:.1f} / {w['p99_ms']:.1f}"


def queries(page):
    """Queries per request: "5" when steady, "5→0" when the first request paid more (a cache)."""
    cold, warm = page.get("queries_cold", page["queries"]), page["queries"]
    return str(warm) if cold == warm else f"{cold}→{warm}"


def cell_status(page):
    if page["missing"]:
        return "missing"
    bad = sum(page["wrk"]["errors"].values()) if "wrk" in page else 0
    status = page.get("live_status")
    flag = "" if status == 200 else f" (HTTP {status})"
    return flag + (f" ⚠ {bad} errors" if bad else "")


def markdown(results):
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}, {m['wrk']}; commit {m['commit']}.",
        f"gunicorn {m['load']['gunicorn_workers']} sync workers, production settings, Redis cache; "
        f"wrk -t{m['load']['threads']} -c{m['load']['connections']} -d{m['load']['duration_s']}s "
        "per page and mode after a 1 s warm-up. Latencies in ms (p50 / p95 / p99); "
        "\"ceiling\" = share of /healthz's req/s in the same mode; q = SQL queries per request "
        "through Django's test Client (first→second request when they differ).",
        "",
    ]
    for run in results["runs"]:
        on, off = run["modes"]["cache_on"]["pages"], run["modes"]["cache_off"]["pages"]
        lines += [
            f"#### {run['size']:,} stories ({run['database']})",
            "",
            "| page | URL | cache on: req/s | p50 / p95 / p99 | ceiling | q | "
            "cache off: req/s | p50 / p95 / p99 | ceiling | q |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for key, page in on.items():
            url = f"`{page['url']}`" if page["url"] else "—"
            if page.get("note"):
                url += f" ({page['note']})"
            row = [page["label"], url]
            for p in (page, off[key]):
                if "wrk" not in p:
                    row += ["**missing**" if p["missing"] else "—", "", "", ""]
                    continue
                w = p["wrk"]
                row += [f"{w['rps']:.0f}{cell_status(p)}", fmt_ms(w),
                        f"{p.get('ratio_to_ceiling', 0) * 100:.0f}%", queries(p)]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines += [
        "#### After a publish, the admin list, worker memory",
        "",
        "In process (Django's test Client, median of several requests): the first render of a "
        "page right after a story is published ÷ a warm uncached render (page cache off), wall "
        "time and, in brackets, this process's CPU time (steadier on a shared machine); the "
        "admin story list for the bench editor (ms, queries, CPU ms); then each gunicorn worker's resident memory "
        "after 2,000 and 10,000 mixed requests (cache on, random query strings and cookies).",
        "",
        "| stories | front after publish | union after publish | story after publish | "
        "admin list ms (queries) | worker RSS MiB 2,000 → 10,000 |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for run in results["runs"]:
        render = run.get("render", {})
        cells = []
        for key in ("front", "union", "article"):
            p = render.get("post_publish", {}).get(key)
            cell = (f"{p['after_publish_ms']:.1f} / {p['uncached_ms']:.1f} ms = {p['ratio']:.2f}×"
                    if p and p.get("ratio") else "—")
            if p and p.get("cpu_ratio"):
                cell += f" (CPU {p['after_publish_cpu_ms']:.1f} / {p['uncached_cpu_ms']:.1f} = {p['cpu_ratio']:.2f}×)"
            cells.append(cell)
        admin = render.get("admin")
        cells.append((f"{admin['ms']:.1f} ({admin['queries']})"
                      + (f", CPU {admin['cpu_ms']:.1f}" if "cpu_ms" in admin else "")) if admin else "—")
        workers = run.get("memory", {}).get("workers", [])
        cells.append(", ".join(f"{w['rss_mib_at_2000']:.0f} → {w['rss_mib_at_10000']:.0f}" for w in workers)
                     or "—")
        lines.append(f"| {run['size']:,} | " + " | ".join(cells) + " |")
    lines.append("")
    runs = results["runs"]
    if len(runs) >= 2:
        small, larger = runs[0], runs[1:]
        heads = [f"{mode} {run['size']:,} ÷ {small['size']:,}" for run in larger
                 for mode in ("cache on", "cache off")]
        lines += [
            f"#### Growth: each page's p95 at a larger archive ÷ its p95 at {small['size']:,} stories",
            "",
            "| page | " + " | ".join(heads) + " |",
            "|---|" + "--:|" * len(heads),
        ]
        for key, page in small["modes"]["cache_on"]["pages"].items():
            row = [page["label"]]
            for run in larger:
                for mode in ("cache_on", "cache_off"):
                    a = small["modes"][mode]["pages"][key].get("wrk")
                    b = run["modes"][mode]["pages"][key].get("wrk")
                    row.append(f"{b['p95_ms'] / a['p95_ms']:.2f}×" if a and b and a["p95_ms"]
                               else "missing")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)


def update_readme(table):
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        say("README 没有 bench-results 标记，未更新")
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}")
    say("README.md 的 Performance 表已更新")


def check_services():
    """PostgreSQL and Redis must answer on loopback; say so plainly if they do not."""
    import psycopg
    import redis

    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL at {PG} does not answer ({error}). Start it, or set BENCH_PG.")
    try:
        redis.Redis.from_url(f"{REDIS}/{REDIS_DB}", socket_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {REDIS} does not answer ({error}). Start it, or set BENCH_REDIS.")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally`s
    if not PYTHON.exists():
        raise SystemExit("no .venv: run `make install` first (make bench does)")
    check_services()
    ensure_wrk()
    started = time.monotonic()
    say(f"规模 {', '.join(f'{s:,}' for s in SIZES)} 篇；collectstatic")
    manage(["collectstatic", "--noinput", "-v", "0"],
           django_env(f"{DB_PREFIX}_{label_of(SIZES[0])}", True))
    runs, pg_version = [], "?"
    for size in SIZES:
        run, pg_version = bench_size(size)
        runs.append(run)
    results = {"machine": machine(pg_version), "runs": runs,
               "total_seconds": round(time.monotonic() - started, 1)}
    (HERE / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    table = markdown(results)
    (HERE / "results.md").write_text("# Benchmark results\n\n" + table + "\n")
    if UPDATE_README:
        update_readme(table)
    print()
    print(table)
    say(f"完成，用时 {results['total_seconds']:.0f} 秒；bench/results.json, bench/results.md")


if __name__ == "__main__":
    main()
