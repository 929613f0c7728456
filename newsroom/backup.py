"""Backups of everything the newsroom cannot re-create: the database, public media
and the private photo originals.

Why the database's own tools (not dumpdata/loaddata):
- PostgreSQL: `pg_dump --format=custom` reads one consistent snapshot while the
  site keeps running, keeps what Django's serialisers do not (sequences, the
  search index's GIN index, constraints exactly as migrated), and restores in
  one transaction with `pg_restore --single-transaction`: all or nothing.
- SQLite: the online backup API (`sqlite3.Connection.backup`) copies a
  consistent image of the live file, page by page, without stopping writers.
dumpdata would load every row into memory, take no snapshot (a story saved
mid-dump could lose its byline) and re-run nothing we rely on at load time
either; it stays the tool for *moving* between SQLite and PostgreSQL.

A backup is one folder `newsroom-<yyyymmdd-hhmmss>/`:
    database.pgdump | database.sqlite3   the database
    media.tar.gz                          MEDIA_ROOT (public photos, renditions)
    private.tar.gz                        PRIVATE_MEDIA_ROOT (originals)
    manifest.json                         engine, row counts per table, SHA-256 of each file
`restore_backup` checks the manifest before it touches anything, then replaces
the database and both folders, and checks the row counts afterwards.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

ARCHIVES = {"media.tar.gz": "MEDIA_ROOT", "private.tar.gz": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """The backup is incomplete, damaged or for another kind of database."""


def _engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库：{vendor}")
    return vendor


def _pg_env():
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or ""),
           "PGUSER": db.get("USER") or "", "PGDATABASE": db["NAME"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != ""}


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts():
    """Rows per table of every installed model (deleted stories included)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.count()
    return dict(sorted(counts.items()))


def _tar(folder, target):
    folder = Path(folder)
    with tarfile.open(target, "w:gz") as archive:
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(folder)), recursive=False)


def create_backup(destination):
    """Write a backup folder under `destination`; return its path."""
    engine = _engine()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(destination) / f"newsroom-{stamp}"
    n = 1
    while folder.exists():
        n += 1
        folder = Path(destination) / f"newsroom-{stamp}-{n}"
    folder.mkdir(parents=True)
    if engine == "postgresql":
        database = folder / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(database)], env=_pg_env())
    else:
        database = folder / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    for name, setting in ARCHIVES.items():
        _tar(getattr(settings, setting), folder / name)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "tables": row_counts(),
        "files": {path.name: _sha256(path) for path in sorted(folder.iterdir())},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return folder


def read_manifest(folder):
    """The manifest of a complete, undamaged backup of this kind of database."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} 不是完整的备份（manifest.json：{error}）")
    if manifest.get("engine") != _engine():
        raise BackupError(f"备份来自 {manifest.get('engine')} 数据库，当前是 {_engine()}。")
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏。")
    return manifest


def _replace_folder(archive, folder):
    """Unpack into a new folder beside `folder`, then swap: never half old, half new."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-restore-", dir=folder.parent))
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(fresh, filter="data")  # no absolute paths, links out, devices
    old = folder.with_name(f".{folder.name}-before-restore")
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    if old.exists():
        shutil.rmtree(old)


def restore_backup(folder):
    """Replace the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT with the backup's.

    Stop the application servers first: a restore is not meant to run under load.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest["engine"] == "postgresql":
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", "--dbname", connection.settings_dict["NAME"],
              str(folder / "database.pgdump")], env=_pg_env())
    else:
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(folder / "database.sqlite3")
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    for name, setting in ARCHIVES.items():
        _replace_folder(folder / name, getattr(settings, setting))
    # Every cached public page may show what the restore replaced.
    from articles.public.cache import bump_generation

    bump_generation()
    restored = row_counts()
    different = {t: (n, restored.get(t)) for t, n in manifest["tables"].items() if restored.get(t) != n}
    if different:
        raise BackupError(f"恢复后的行数与备份不符：{different}")
    return manifest
