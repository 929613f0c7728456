"""One address for the newsroom: `make run HOST=…` serves, prints, answers on and mails
links to the same address, unless NEWSROOM_BASE_URL says otherwise (newsroom/address.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import address

from .test_settings import start_django

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("run_host", "url"), [
    (None, "http://127.0.0.1:8000"),
    ("8001", "http://127.0.0.1:8001"),
    ("192.168.1.20:8080", "http://192.168.1.20:8080"),
    ("newsroom.local", "http://newsroom.local:8000"),
])
def test_development_address_follows_make_run_host(run_host, url):
    assert address.base_url(explicit=None, run_host=run_host, debug=True, allowed_hosts=[]) == url


def test_listening_everywhere_gives_the_machines_own_address(monkeypatch):
    monkeypatch.setattr(address, "machine_address", lambda: "10.0.0.7")
    assert address.base_url(explicit="", run_host="0.0.0.0:8000", debug=True, allowed_hosts=[]) \
        == "http://10.0.0.7:8000"


def test_newsroom_base_url_wins_and_production_uses_the_first_allowed_host():
    assert address.base_url(explicit="https://news.example.org/", run_host="8001", debug=True,
                            allowed_hosts=[]) == "https://news.example.org"
    assert address.base_url(explicit=None, run_host=None, debug=False,
                            allowed_hosts=[".example.org", "x"]) == "https://example.org"


MAIL_LINK = """
from django.conf import settings
from articles.services.notifications import admin_url
story = type("Story", (), {"pk": 42})()
print(admin_url(story)); print(",".join(settings.ALLOWED_HOSTS))
"""


def test_mail_links_and_allowed_hosts_follow_the_run_host():
    result = start_django(MAIL_LINK, DJANGO_DEBUG="1", NEWSROOM_HOST="192.168.1.20:8080")
    assert result.returncode == 0, result.stderr
    link, hosts = result.stdout.split()
    assert link == "http://192.168.1.20:8080/admin/articles/article/42/change/"
    assert "192.168.1.20" in hosts.split(",")


def test_make_run_prints_serves_and_links_the_same_host(tmp_path):
    """`make run HOST=…` with a stand-in python that records each manage.py call and its
    NEWSROOM_HOST; site_address really runs, so the printed address is the settings' one."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()
    log = tmp_path / "calls"
    fake = venv / "bin" / "python"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$NEWSROOM_HOST $*" >> {log}\n'
        f'if [ "$2" = site_address ]; then exec {sys.executable} "$@"; fi\n'
    )
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "DJANGO_"))}
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "HOST=192.168.1.20:8080", f"VENV={venv}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "编辑部: http://192.168.1.20:8080/admin/" in result.stdout
    calls = log.read_text().splitlines()
    assert "192.168.1.20:8080 manage.py runserver 192.168.1.20:8080" in calls
    assert all(call.startswith("192.168.1.20:8080 ") for call in calls)
