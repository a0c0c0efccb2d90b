"""``manage.py error_codes``: every error code the project declares, as the Markdown table of
``docs/api.md`` (code, HTTP status, kind, meaning). ``--check`` fails when the page differs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gendan.core.errors import project_codes

START, END = "<!-- error-codes -->", "<!-- /error-codes -->"


def error_codes_table() -> str:
    rows = ["| code | status | kind | meaning | declared in |", "|---|---|---|---|---|"]
    for code, member in project_codes().items():
        app = type(member).__module__.split(".")[1]
        rows.append(f"| `{code}` | {member.status} | {member.kind} | {member.meaning} | {app} |")
    return "\n".join(rows)


def documented_table(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return ""
    return text.split(START, 1)[1].split(END, 1)[0].strip()


class Command(BaseCommand):
    help = "Print every declared error code as the table of docs/api.md (--check / --write: compare / update the page)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if docs/api.md differs")
        parser.add_argument("--write", action="store_true", help="write the table into docs/api.md")

    def handle(self, *args, check=False, write=False, **options):
        table = error_codes_table()
        page = Path(settings.BASE_DIR) / "docs" / "api.md"
        if write:
            text = page.read_text(encoding="utf-8")
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            page.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")
            return
        if check:
            if documented_table(page) != table:
                raise CommandError("docs/api.md lists other error codes than the code declares: "
                                   "run `manage.py error_codes --write`")
            return
        self.stdout.write(table)
