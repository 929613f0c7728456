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
    also deletes the 记者/编辑 groups that migration 0002 made; the next such test would
    find none. Put them back, with the same permissions, when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    roles = import_module("articles.migrations.0002_newsroom_groups").ROLE_PERMISSIONS
    for name, codenames in roles.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )
