"""``manage.py backup`` / ``restore``: a round trip brings back every row and every media file
(counts and SHA-256 equal), on SQLite and on PostgreSQL; a restore refuses a non-empty database
or a damaged backup and changes nothing then."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gendan.accounts.models import User
from gendan.core.backup import media_hashes

pytestmark = pytest.mark.django_db(transaction=True)  # the dump is read outside the test's transaction


def _media(files: dict[str, bytes]) -> Path:
    root = Path(settings.MEDIA_ROOT)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


FILES = {
    "attachments/2026/03/SO2603-0001/customer-po.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "attachments/2026/03/SO2603-0001/装箱单 v2.xlsx": b"PK\x03\x04 not really a workbook",
    "orders/PI2603-0001-v1.pdf": b"%PDF-1.7\n% the PI\n",
}


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
    return out


def test_round_trip_brings_back_every_row_and_file(make_user, tmp_path):
    make_user("sales", username="li.sales")
    make_user("merchandiser", username="wang.merch")
    root = _media(FILES)
    before_counts, before_files = _counts(), media_hashes(root)

    call_command("backup", out=str(tmp_path / "bk"), stdout=open("/dev/null", "w"))  # noqa: SIM115

    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["tables"] == before_counts
    assert manifest["media"] == before_files and len(before_files) == 3
    # A disaster: people and files lost.
    User.objects.filter(username="li.sales").delete()
    shutil.rmtree(root)
    assert _counts() != before_counts

    call_command("restore", str(tmp_path / "bk"), force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _counts() == before_counts
    assert media_hashes(root) == before_files
    assert User.objects.filter(username="li.sales").exists()


def test_restore_refuses_a_database_that_is_not_empty(make_user, tmp_path):
    make_user("sales", username="li.sales")
    call_command("backup", out=str(tmp_path / "bk"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    make_user("sales", username="after.backup")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "bk"))

    assert User.objects.filter(username="after.backup").exists()  # nothing replaced


def test_restore_refuses_a_damaged_backup(make_user, tmp_path):
    _media(FILES)
    call_command("backup", out=str(tmp_path / "bk"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    tar = tmp_path / "bk" / "media.tar"
    tar.write_bytes(tar.read_bytes()[:-600] + b"x" * 600)

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path / "bk"), force=True)


def test_backup_goes_into_a_new_folder(tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "old.txt").write_text("yesterday")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", out=str(tmp_path / "bk"))
