"""The test suite's settings: newsroom.settings in development mode (pytest.ini points here).

newsroom/settings.py fails closed: without DJANGO_DEBUG it is production and
refuses to start without DJANGO_SECRET_KEY. `make test` and CI say
DJANGO_DEBUG=1 themselves; this module does the same for a plain
`.venv/bin/pytest`, so a developer's run needs no environment. It has to be a
settings module rather than a conftest.py: pytest-django imports the settings
before pytest loads any conftest.

Only an unset (or empty) DJANGO_DEBUG is filled in, in os.environ, so the
processes that tests start (manage.py, settings checks) inherit it. An explicit
DJANGO_DEBUG=0 with a DJANGO_SECRET_KEY runs the suite against production
settings. No setting is declared or changed here: they all live in newsroom/settings.py.
"""

import os

if not os.environ.get("DJANGO_DEBUG", "").strip():
    os.environ["DJANGO_DEBUG"] = "1"

from newsroom.settings import *  # noqa: E402, F403
