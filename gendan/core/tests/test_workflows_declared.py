"""Every workflow table in the code: each edge names a service that exists, and the table is
the one its page in docs/workflows/ shows (between ``<!-- workflow:<name> -->`` and
``<!-- /workflow -->``, one ``| from | to | `service` |`` row per edge, states by their code)."""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest

import gendan
from gendan.core.workflow import workflows

DOCS = Path(__file__).resolve().parents[3] / "docs" / "workflows"

for module in pkgutil.iter_modules(gendan.__path__):
    try:
        import_module(f"gendan.{module.name}.workflows")
    except ModuleNotFoundError as exc:
        if exc.name != f"gendan.{module.name}.workflows":
            raise

ALL = sorted(workflows().values(), key=lambda w: w.name)


def documented_rows(workflow) -> set[tuple[str, str, str]]:
    doc = DOCS / f"{workflow.doc or workflow.name.replace('_', '-')}.md"
    assert doc.exists(), f"{workflow.name}: no page {doc.name} in docs/workflows/"
    block = re.search(rf"<!-- workflow:{workflow.name} -->(.*?)<!-- /workflow -->", doc.read_text(), re.S)
    assert block, f"{doc.name} has no <!-- workflow:{workflow.name} --> table"
    rows = set()
    for line in block.group(1).splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] not in ("from", "") and not set(cells[0]) <= {"-"}:
            rows.add((cells[0], cells[1], cells[2]))
    return rows


@pytest.mark.parametrize("workflow", ALL, ids=[w.name for w in ALL])
def test_every_edge_has_its_service(workflow):
    for service in workflow.services():
        assert callable(workflow.resolve(service)), f"{workflow.name}: {service} is not a function"


@pytest.mark.parametrize("workflow", ALL, ids=[w.name for w in ALL])
def test_the_table_is_the_one_in_the_docs(workflow):
    assert documented_rows(workflow) == set(workflow.markdown_rows())
