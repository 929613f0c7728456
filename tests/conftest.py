import pytest


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads (public and private) go to a per-test folder; the cache starts empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.fixture(autouse=True)
def _newsroom_groups_after_flush(request):
    """Transactional tests (the browser tests) flush every table when they end, which
    also deletes the 记者/编辑 groups that migration 0002 made; put them back first."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from .factories import ensure_role_groups

    ensure_role_groups()
