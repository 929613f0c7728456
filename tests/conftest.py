"""What every test module shares: isolation, the newsroom's people, data built once per module.

Plain builders (make_article, make_user, login, …) live in tests/factories.py; the
newsroom's cast and form helpers in tests/newsroom.py and tests/newsroom2.py.
"""

import shutil

import pytest
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import override_settings

from demo import demo

from .factories import ensure_review_setup, ensure_role_groups, login, make_union, make_user
from .newsroom import make_cast
from .newsroom2 import make_districts

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads (public and private) go to a per-test folder; the cache starts empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


pytest_plugins = ["tests.browser"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folders = getattr(config, "_screenshot_folders", [])
    if folders:
        terminalreporter.write_sep("-", "browser screenshots")
        for folder in folders:
            terminalreporter.write_line(str(folder))


def _restore_seed_rows(sender, **kwargs):
    """A transactional test's flush ends with post_migrate: put back the rows the
    migrations seeded (groups, review levels), so the next test on this worker finds
    them whatever order the tests run in (xdist does not keep transactional tests last)."""
    if sender.label == "articles":
        ensure_role_groups()
        ensure_review_setup()


post_migrate.connect(_restore_seed_rows, dispatch_uid="tests-restore-seed-rows")


@pytest.fixture(autouse=True)
def _newsroom_groups_after_flush(request):
    """Transactional tests (the browser tests) flush every table when they end, which
    also deletes the 记者/编辑 groups that migration 0002 made and the review levels of
    0011; put them back first."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    ensure_role_groups()
    ensure_review_setup()


# --- the newsroom's people and union bodies ---------------------------------------------


@pytest.fixture
def cast():
    """alice and bob (reporters), editor1, boss (administrator), 朝阳区总工会 (tests/newsroom.py)."""
    return make_cast()


@pytest.fixture
def districts():
    """The cast with 朝阳's streets, 石景山区, and an editor limited to each district."""
    return make_districts()


@pytest.fixture
def editor():
    """An editor in no district: editor1, 王编辑."""
    return make_user("editor1", group="编辑", first_name="王编辑")


@pytest.fixture
def editor_client(client, editor):
    return login(client, editor)


@pytest.fixture
def reporter_client(client):
    return login(client, make_user(group="记者"))


@pytest.fixture
def tree():
    """北京市总工会 → 朝阳区总工会 → 奥运村街道总工会, and 昌平区总工会 beside 朝阳."""
    city = make_union("北京市总工会", slug="bjzgh", short_name="市总工会")
    chaoyang = make_union("朝阳区总工会", parent=city, slug="chaoyang", short_name="朝阳")
    aoyuncun = make_union("奥运村街道总工会", parent=chaoyang, slug="aoyuncun")
    changping = make_union("昌平区总工会", parent=city, slug="changping")
    return city, chaoyang, aoyuncun, changping


@pytest.fixture
def directory(db):
    """The seed page's union bodies and reporters, as load_demo makes them."""
    demo._union_bodies(demo.Summary())
    demo._reporters(demo.Summary())


# --- data built once per module -----------------------------------------------------------


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """One transaction around a whole test module, for data that is built once.

    A module-scoped fixture that asks for this builds its rows inside it; each
    test's own transaction is a savepoint within it, so every test starts from
    those rows and its changes roll back to them; the module's end rolls the rows
    back too. Not for transactional (browser) tests, which would flush them. Files
    written meanwhile go to a folder of the module's (see `module_files`).
    """
    folder = tmp_path_factory.mktemp("module")
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=folder / "media", PRIVATE_MEDIA_ROOT=folder / "private",
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
    ), transaction.atomic():
        yield folder
        transaction.set_rollback(True)


@pytest.fixture
def module_files(module_db, settings):
    """This test's own MEDIA_ROOT and PRIVATE_MEDIA_ROOT start as a copy of the module's files."""
    for name, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        if (module_db / name).exists():
            shutil.copytree(module_db / name, root, dirs_exist_ok=True)
