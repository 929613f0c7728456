"""Migrations never import application code.

A migration is run years after it was written, against whatever the project's
own modules have become by then: a function it imported may be gone, renamed
or reading fields that the historical models do not have yet (0003 once
imported the search indexer, which broke `migrate` for any database holding a
story). Migrations use `apps.get_model()` and plain Django; work that needs
today's code belongs in a post_migrate hook (articles/apps.py).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's own top-level packages: nothing under them may be imported by a migration.
PROJECT_PACKAGES = {"articles", "demo", "newsroom"}
MIGRATIONS = sorted(
    path
    for package in PROJECT_PACKAGES
    for path in (ROOT / package / "migrations").glob("*.py")
    if path.name != "__init__.py"
)


def imported_project_modules(source, package):
    """The project modules that `source` (a migration of `package`) imports, anywhere in the file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from ..search import y: inside the app itself
                names = [f"{package}.{node.module or ''}"]
            else:
                names = [node.module or ""]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in PROJECT_PACKAGES]
    return found


def test_there_are_migrations_to_check():
    assert {path.parent.parent.name for path in MIGRATIONS} >= {"articles"}
    assert any(path.name.startswith("0001_") for path in MIGRATIONS)


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_migration_imports_no_application_code(path):
    imports = imported_project_modules(path.read_text(encoding="utf-8"), path.parent.parent.name)
    assert not imports, f"{path.relative_to(ROOT)} imports application code: {imports}"


@pytest.mark.parametrize(
    "source",
    [
        "from articles.search import entry_values",
        "import articles.models",
        "def f(apps, schema_editor):\n    from articles import search\n",
        "def f(apps, schema_editor):\n    from ..search import entry_values\n",
        "from . import helpers",
        "import demo.bench",
        "from newsroom import settings",
        "import importlib\nimportlib.import_module('articles.search')",
    ],
)
def test_the_check_sees_every_way_of_importing(source):
    """The scan above would catch an import at module level, inside a function, or relative."""
    assert imported_project_modules(source, "articles")


def test_the_check_allows_django_and_third_party_imports():
    source = (
        "import django.db.models.deletion\nfrom django.conf import settings\n"
        "from django.db import migrations, models\nimport ckeditor_uploader.fields\n"
        "from django.contrib.auth.management import create_permissions\n"
    )
    assert imported_project_modules(source, "articles") == []
