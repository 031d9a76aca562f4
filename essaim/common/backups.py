"""Backups: a consistent database snapshot plus the media files, with a manifest.

A backup is a directory:
- ``database.sqlite3`` (SQLite's online backup API: consistent while the site runs, WAL
  included) or ``database.pgdump`` (``pg_dump -Fc``);
- ``media/``, a copy of every uploaded file, read through Django's storage: the local
  media folder or, when ESSAIM_S3_BUCKET is set, every object of the bucket (the backup
  is then whole on its own, whatever the bucket's versioning or replication);
- ``manifest.json``: engine, date, applied migrations, the row count of every table and
  the size and SHA-256 of every file.

``restore`` refuses a database that already holds tables and a storage that already holds
files, restores both (files go back to wherever this instance's storage is: folder or
bucket), then ``verify`` compares the restored counts and checksums with the manifest.
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
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


def managed_tables() -> list[str]:
    """Every table Django manages (auto-created many-to-many tables included), sorted."""
    models = apps.get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy})


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return {table: _count(cursor, table) for table in managed_tables()}


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own table names)
    return cursor.fetchone()[0]


def media_files(root: Path) -> dict[str, dict]:
    """Size and checksum of every file under ``root`` (a backup's media folder)."""
    if not root.exists():
        return {}
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): {"size": p.stat().st_size, "sha256": sha256(p)}
            for p in files}  # fmt: skip


def stored_names(storage=default_storage) -> list[str]:
    """Every file the media storage holds, sorted: a bucket's keys or a folder's files."""
    if hasattr(storage, "bucket"):  # S3: one paginated listing, not one call per folder
        return sorted(o.key for o in storage.bucket.objects.all() if not o.key.endswith("/"))
    root = Path(storage.location)
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def open_stored(name: str, storage=default_storage):
    """A stored file to read once, front to back. On S3, one GET streamed as it comes
    (django-storages' open() would first ask for the object twice, then load it whole)."""
    if hasattr(storage, "bucket"):
        return closing(storage.bucket.Object(name).get()["Body"])
    return storage.open(name, "rb")


def stored_files(storage=default_storage) -> dict[str, dict]:
    """Size and checksum of every file in the media storage (read back, not trusted)."""
    files = {}
    for name in stored_names(storage):
        digest, size = hashlib.sha256(), 0
        with open_stored(name, storage) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
        files[name] = {"size": size, "sha256": digest.hexdigest()}
    return files


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
    database, counts = _dump_database(target)
    log(f"Base de données : {database.name} ({database.stat().st_size} octets)")
    _copy_media_out(target / "media", log=log)
    manifest = {
        "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine(),
        "database": {"file": database.name, "sha256": sha256(database)},
        "migrations": applied_migrations(), "counts": counts,
        "media_storage": "s3" if hasattr(default_storage, "bucket") else "local",
        "media": media_files(target / "media"),
    }  # fmt: skip
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    log(f"Fichiers : {len(manifest['media'])} ; tables : {len(counts)}")
    return manifest


def _copy_media_out(folder: Path, names: list[str] | None = None, *, log=print) -> None:
    """Copy every stored file into ``folder``, after the database snapshot: each file a
    snapshot row names was saved before its row, so it is there. A file deleted since the
    listing (the site goes on) is left out; the manifest lists what was copied."""
    for name in stored_names() if names is None else names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open_stored(name) as source, path.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
        except Exception as error:
            if not _vanished(error):
                raise
            path.unlink(missing_ok=True)
            log(f"Fichier supprimé pendant la sauvegarde, ignoré : {name}")


def _vanished(error: Exception) -> bool:
    if isinstance(error, FileNotFoundError):
        return True
    code = (getattr(error, "response", None) or {}).get("Error", {}).get("Code")
    return code in {"NoSuchKey", "404"}  # botocore's ClientError for a missing object


def _dump_database(target: Path) -> tuple[Path, dict[str, int]]:
    """The snapshot, and the row counts *of that snapshot*: the site may go on writing
    meanwhile, and the restore check must find exactly what the snapshot holds."""
    if engine() == "sqlite":
        return _dump_sqlite(target / SQLITE_FILE)
    return _dump_postgresql(target / PG_FILE)


def _dump_sqlite(path: Path) -> tuple[Path, dict[str, int]]:
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        # pages=-1: the whole file in one step, under one read lock (WAL lets writers on).
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return path, {table: _count(cursor, table) for table in managed_tables()}


def _dump_postgresql(path: Path) -> tuple[Path, dict[str, int]]:
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump joins this transaction's snapshot: it dumps exactly the rows counted here.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = row_counts()
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
              "--file", str(path), *_pg_args()])  # fmt: skip
    return path, counts


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
    if stored_names():
        raise BackupError(f"{_storage_label()} n'est pas vide : restaurez dans un stockage neuf.")
    _restore_database(database)
    log("Base de données restaurée.")
    _copy_media_in(source / "media", manifest["media"])
    log(f"Fichiers restaurés : {len(manifest['media'])} ({_storage_label()}).")
    return verify(manifest)


def _storage_label() -> str:
    if hasattr(default_storage, "bucket"):
        return f"Le compartiment S3 {default_storage.bucket_name}"
    return f"Le dossier {default_storage.location}"


def _copy_media_in(folder: Path, names: dict) -> None:
    for name in names:
        with (folder / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:  # the storage renamed it: the rows pointing to it would break
            raise BackupError(f"Fichier {name} enregistré sous un autre nom : {saved}.")


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
    media = stored_files()
    if len(media) != len(manifest["media"]):
        differences.append(Difference("nombre de fichiers", len(manifest["media"]), len(media)))
    for name, meta in manifest["media"].items():
        if media.get(name, {}).get("sha256") != meta["sha256"]:
            differences.append(Difference(f"fichier {name}", meta["sha256"], media.get(name)))
    return differences
