"""Backup and restore of the database and the media folder, together (``manage.py backup`` /
``manage.py restore``; docs/deployment.md, "Backups").

A backup is a folder of three files:

- ``database.dump``: PostgreSQL's ``pg_dump --format=custom`` (or, on SQLite, ``database.sqlite3``,
  a copy made with SQLite's online backup API);
- ``media.tar``: every file under ``MEDIA_ROOT`` (uploads, issued PDFs);
- ``manifest.json``: the row count of every table and the SHA-256 of every media file and of the
  two archives, so a restore can prove it brought back what was saved.

Consistency: on PostgreSQL the dump and the row counts are read in ONE snapshot (a REPEATABLE READ
transaction exports its snapshot and ``pg_dump --snapshot`` uses it), so the counts describe the dump
exactly. The media folder is archived after that snapshot: a file that a row of the dump points at was
written before its row was committed, so it is in the archive — unless it was deleted between the
snapshot and the archive (a rare removal during the backup; the restore lists such files as missing,
and the download page then says the file is missing rather than failing). Files uploaded after the
snapshot are archived too, without a row: harmless orphans.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Comparison:
    """What a restore brought back, against what the manifest says was saved."""

    count_differences: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    extra_files: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.count_differences or self.missing_files or self.changed_files)

    def lines(self) -> list[str]:
        out = [f"table {t}: saved {a}, restored {b}" for t, (a, b) in sorted(self.count_differences.items())]
        out += [f"media file missing: {p}" for p in self.missing_files]
        out += [f"media file differs: {p}" for p in self.changed_files]
        return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_hashes(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every regular file under ``root`` (empty when it does not exist)."""
    root = Path(root)
    if not root.is_dir():
        return {}
    found = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = sha256_file(path)
    return dict(sorted(found.items()))


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def _table_counts(connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")  # noqa: S608 (introspected names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env_args(settings_dict: dict) -> tuple[dict, list[str]]:
    """Environment and connection arguments for pg_dump / pg_restore from Django's settings."""
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", str(settings_dict["NAME"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60 * 60)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _tables(connection) -> list[str]:
    return list(connection.introspection.table_names(include_views=False))


def backup(out: Path, *, alias: str = "default", media_root: Path | None = None) -> dict:
    """Write a backup into ``out`` (a new or empty folder) and return its manifest."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: a backup goes into a new or empty folder.")
    out.mkdir(parents=True, exist_ok=True)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    vendor = _vendor(alias)
    connection.ensure_connection()
    if vendor == "postgresql":
        db_file, counts = _pg_backup(connection, out)
    else:
        db_file, counts = _sqlite_backup(connection, out)
    # The media folder after the database snapshot (see the module's docstring).
    hashes = media_hashes(media_root)
    with tarfile.open(out / MEDIA_TAR, "w") as tar:
        for relative in hashes:
            tar.add(media_root / relative, arcname=relative, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "database": str(connection.settings_dict["NAME"]),
        "tables": counts,
        "media": hashes,
        "archives": {db_file: sha256_file(out / db_file), MEDIA_TAR: sha256_file(out / MEDIA_TAR)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def _pg_backup(connection, out: Path) -> tuple[str, dict[str, int]]:
    """pg_dump and the row counts in one snapshot: a REPEATABLE READ transaction exports it and
    stays open until pg_dump has read everything."""
    env, args = _pg_env_args(connection.settings_dict)
    raw = connection.connection  # psycopg connection of Django's
    was_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _table_counts(connection, _tables(connection))  # same connection: same snapshot
                _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                      "--file", str(out / PG_DUMP), *args], env)
            finally:
                cursor.execute("ROLLBACK")
    finally:
        connection.set_autocommit(was_autocommit)
    return PG_DUMP, counts


def _sqlite_backup(connection, out: Path) -> tuple[str, dict[str, int]]:
    """SQLite's online backup API copies a consistent database; the counts are read from the copy."""
    target = sqlite3.connect(out / SQLITE_COPY)
    try:
        connection.connection.backup(target)
        names = [row[0] for row in target.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {name: target.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                  for name in sorted(names)}
    finally:
        target.close()
    return SQLITE_COPY, counts


def read_manifest(source: Path) -> dict:
    source = Path(source)
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup made by `manage.py backup`.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')!r}, this version reads {FORMAT}.")
    for name, digest in manifest["archives"].items():
        if not (source / name).is_file():
            raise BackupError(f"{source / name} is missing.")
        if sha256_file(source / name) != digest:
            raise BackupError(f"{source / name} is damaged: its SHA-256 differs from the manifest's.")
    return manifest


def restore(source: Path, *, alias: str = "default", media_root: Path | None = None,
            force: bool = False) -> Comparison:
    """Restore a backup into the database ``alias`` and ``media_root``; both must be empty unless
    ``force`` (then the database's tables are dropped first and the files are written over). Returns
    the comparison of what is now there with the manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    vendor = _vendor(alias)
    if manifest["vendor"] != vendor:
        raise BackupError(f"This backup is of a {manifest['vendor']} database; the target is {vendor}.")
    connection.ensure_connection()
    tables = _tables(connection)
    if tables and not force:
        raise BackupError(f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables): "
                          "restore into an empty database, or pass --force to replace what it holds.")
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"The media folder {media_root} is not empty: restore into an empty folder, or pass "
                          "--force to write over it.")
    if vendor == "postgresql":
        _pg_restore(connection, source, clear=bool(tables))
    else:
        _sqlite_restore(connection, source)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_TAR, "r") as tar:
        tar.extractall(media_root, filter="data")
    return compare(manifest, alias=alias, media_root=media_root)


def _pg_restore(connection, source: Path, *, clear: bool) -> None:
    if clear:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()  # pg_restore works in its own connection; ours reconnects afterwards
    env, args = _pg_env_args(connection.settings_dict)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          *args, str(source / PG_DUMP)], env)


def _sqlite_restore(connection, source: Path) -> None:
    saved = sqlite3.connect(source / SQLITE_COPY)
    try:
        saved.backup(connection.connection)
    finally:
        saved.close()


def compare(manifest: dict, *, alias: str = "default", media_root: Path | None = None) -> Comparison:
    """Row counts and media hashes now, against the manifest."""
    connection = connections[alias]
    connection.ensure_connection()
    counts = _table_counts(connection, _tables(connection))
    result = Comparison()
    for table in sorted(set(counts) | set(manifest["tables"])):
        saved, now = manifest["tables"].get(table), counts.get(table)
        if saved != now:
            result.count_differences[table] = (saved, now)
    hashes = media_hashes(Path(media_root or settings.MEDIA_ROOT))
    for path, digest in manifest["media"].items():
        if path not in hashes:
            result.missing_files.append(path)
        elif hashes[path] != digest:
            result.changed_files.append(path)
    result.extra_files = sorted(set(hashes) - set(manifest["media"]))
    return result
