"""Backups: a consistent database snapshot plus the media files, with a manifest.

A backup is a directory:
- ``database.sqlite3`` (SQLite's online backup API: consistent while the site runs, WAL
  included) or ``database.pgdump`` (``pg_dump -Fc``);
- ``media/``, a copy of the uploaded files;
- ``manifest.json``: engine, date, applied migrations, the row count of every table and
  the size and SHA-256 of every file.

``restore`` refuses a database that already holds tables, restores, then ``verify``
compares the restored counts and checksums with the manifest.
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in French."""


@dataclass
class Difference:
    what: str
    expected: object
    found: object


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def row_counts(using: str = "default") -> dict[str, int]:
    """Rows of every table Django manages (auto-created many-to-many tables included)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using(using).count()
    return dict(sorted(counts.items()))


def media_files(root: Path) -> dict[str, dict]:
    if not root.exists():
        return {}
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": sha256(p)}
            for p in files}  # fmt: skip


def applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- backup --------------------------------------------------------------------------------


def create_backup(target: Path, *, log=print) -> dict:
    """Write a backup into ``target`` (a new or empty directory); returns the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} existe et n'est pas vide.")
    target.mkdir(parents=True, exist_ok=True)
    counts = row_counts()  # before the snapshot: a write in between shows in verify
    database = _dump_database(target)
    log(f"Base de données : {database.name} ({database.stat().st_size} octets)")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.copytree(media_root, target / "media")
    manifest = {
        "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine(),
        "database": {"file": database.name, "sha256": sha256(database)},
        "migrations": applied_migrations(), "counts": counts,
        "media": media_files(target / "media"),
    }  # fmt: skip
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    log(f"Fichiers : {len(manifest['media'])} ; tables : {len(counts)}")
    return manifest


def _dump_database(target: Path) -> Path:
    if engine() == "sqlite":
        path = target / SQLITE_FILE
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return path
    path = target / PG_FILE
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *_pg_args()])
    return path


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return args


def _pg_env() -> dict:
    import os

    password = settings.DATABASES["default"].get("PASSWORD")
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=_pg_env())  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} est introuvable : installez le client PostgreSQL."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} a échoué : {error.stderr.strip()}") from None


# --- restore -------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{source} ne contient pas de {MANIFEST} : est-ce une sauvegarde ?"
        ) from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{MANIFEST} illisible : {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')!r}.")
    return manifest


def restore_backup(source: Path, *, log=print) -> list[Difference]:
    """Restore ``source`` into this instance's empty database and media; then verify."""
    manifest = read_manifest(source)
    database = source / manifest["database"]["file"]
    if sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database.name} ne correspond pas à sa somme de contrôle.")
    if manifest["engine"] != engine():
        raise BackupError(
            f"Sauvegarde {manifest['engine']}, base {engine()} : utilisez la même base "
            "(pour changer de base, restaurez puis déplacez les données)."
        )
    if connection.introspection.table_names():
        raise BackupError("La base de données n'est pas vide : restaurez dans une base neuve.")
    _restore_database(database)
    log("Base de données restaurée.")
    media_root = Path(settings.MEDIA_ROOT)
    if (source / "media").exists():
        if media_root.exists() and any(media_root.rglob("*")):
            raise BackupError(f"{media_root} n'est pas vide : restaurez dans un dossier neuf.")
        shutil.copytree(source / "media", media_root, dirs_exist_ok=True)
    return verify(manifest)


def _restore_database(database: Path) -> None:
    if engine() == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        for stale in (name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
            stale.unlink(missing_ok=True)
        with sqlite3.connect(database) as backup, sqlite3.connect(name) as live:
            backup.backup(live)
        with sqlite3.connect(name) as live:
            (result,) = live.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"Base restaurée endommagée : {result}")
        return
    connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          *_pg_args(), str(database)])  # fmt: skip


def verify(manifest: dict) -> list[Difference]:
    """What differs between the manifest and this instance (nothing after a good restore)."""
    differences = []
    found = row_counts()
    for table, count in manifest["counts"].items():
        if found.get(table) != count:
            differences.append(Difference(f"table {table}", count, found.get(table)))
    media = media_files(Path(settings.MEDIA_ROOT))
    for name, meta in manifest["media"].items():
        if media.get(name, {}).get("sha256") != meta["sha256"]:
            differences.append(Difference(f"fichier {name}", meta["sha256"], media.get(name)))
    return differences
