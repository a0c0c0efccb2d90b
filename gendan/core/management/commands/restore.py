"""``manage.py restore DIR``: bring back a backup made by ``manage.py backup`` into an empty database
and media folder (``--force`` replaces what they hold), then check row counts and file hashes against
its manifest (gendan/core/backup.py; docs/deployment.md, "Restore drill")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gendan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup (database and media folder) into an empty database and media folder, and check "
            "the row counts and file hashes against its manifest.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup's folder")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--force", action="store_true",
                            help="drop the database's tables and write over the media folder first")

    def handle(self, *args, source: str, database: str, force: bool, **options):
        try:
            result = restore(Path(source), alias=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not result.equal:
            raise CommandError("Restored, but it differs from the backup's manifest:\n" + "\n".join(result.lines()))
        extra = f" ({len(result.extra_files)} other files were already in the media folder)" if result.extra_files \
            else ""
        self.stdout.write(f"Restored {source}: row counts and media file hashes equal the manifest{extra}.")
