"""Every refusal answers through the one mapping: each declared code has one status, the same on
the API and on the pages, and docs/api.md lists every code with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from gendan.api.errors import exception_handler
from gendan.core.errors import STATUS, BusinessError, codes, project_codes
from gendan.core.management.commands.error_codes import documented_table, error_codes_table
from gendan.core.views import run_action

ALL = sorted(project_codes().items())


def test_docs_api_lists_every_declared_code_with_its_status():
    assert documented_table(Path(settings.BASE_DIR) / "docs" / "api.md") == error_codes_table()
    call_command("error_codes", check=True)  # the same check a reader can run


def test_every_declared_code_has_a_kind_and_a_meaning():
    assert len(ALL) > 50
    missing = [code for code, member in ALL if not member.meaning.strip()]
    assert missing == []


@pytest.mark.parametrize(("code", "member"), ALL, ids=[c for c, _m in ALL])
def test_a_refusal_answers_the_status_of_its_kind_on_the_api_and_on_a_page(code, member, rf: RequestFactory):
    expected = STATUS[member.kind]
    error = BusinessError("refused for the test", code=code)
    assert error.status == expected

    api = exception_handler(error, {})
    assert (api.status_code, api.data["code"]) == (expected, code)

    def call(_data):
        raise BusinessError("refused for the test", code=code)

    request = rf.post("/anything/")
    page = run_action(request, call=call, success_message="", success_url="/",
                      refused=lambda exc, form: HttpResponse(exc.code))
    assert (page.status_code, page.content.decode()) == (expected, code)


_CODE_LITERAL = re.compile(r"""(?:\bcode\s*=\s*|\bno\(\s*)["']([a-z0-9_]+)["']""")


def test_no_service_raises_a_code_that_no_app_declares():
    """A code typed as a string in the product's code must be declared in an ``errors.py``
    (document sequences' ``number_next(code=…)`` and Django form errors in ``forms.py`` are
    other kinds of code)."""
    root = Path(settings.BASE_DIR) / "gendan"
    declared = codes()
    undeclared = {}
    for path in root.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path) or path.name == "forms.py":
            continue
        text = re.sub(r"number_next(_block)?\([^)]*\)", "", path.read_text(encoding="utf-8"))
        for match in _CODE_LITERAL.finditer(text):
            if match.group(1) not in declared:
                undeclared.setdefault(match.group(1), str(path.relative_to(root)))
    assert undeclared == {}
