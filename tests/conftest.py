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
