"""``manage.py backup --out DIR``: the database and the media folder, consistently, with a manifest
of row counts and file hashes (gendan/core/backup.py; docs/deployment.md, "Backups")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gendan.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump in one snapshot, or SQLite's backup API) and the media folder "
            "into a new folder, with a manifest of row counts and SHA-256 of every file.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="a new (or empty) folder for the backup")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, out: str, database: str, **options):
        try:
            manifest = backup(Path(out), alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Backup in {out}: {len(manifest['tables'])} tables, {rows} rows, "
                          f"{len(manifest['media'])} media files.")
