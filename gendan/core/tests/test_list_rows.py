"""A list page's plain rows are made by ``list_row`` (core/templatetags/gendan.py) for speed; the
HTML is the one the template's row of blocks made (kept here verbatim)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.template import Context, Template

from gendan.core.listing import Column

TEMPLATE_ROW = Template(
    '<tr>{% for col, cell in pairs %}<td{% if col.numeric %} class="num"{% endif %}>{% if forloop.first %}'
    '<a href="{{ obj.get_absolute_url }}">{{ cell }}</a>{% else %}{{ cell }}{% endif %}</td>{% endfor %}</tr>')
TAG_ROW = Template("{% load gendan %}{% list_row obj pairs %}")


@dataclass
class Row:
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@pytest.mark.parametrize("values", [
    ["PO2603-0001", "Müller & Söhne <GmbH>", "1,200.50", ""],
    ['"quoted"', "it's", "—", "0"],
])
def test_the_tag_makes_the_templates_row(values):
    columns = [Column("number", "no."), Column("name", "name"), Column("amount", "amount", numeric=True),
               Column("note", "note")]
    context = {"obj": Row('/production/orders/7/?a=1&b="2"'), "pairs": list(zip(columns, values, strict=True))}
    assert TAG_ROW.render(Context(context)) == TEMPLATE_ROW.render(Context(context))


def test_a_row_without_a_page_of_its_own_links_nowhere_as_before():
    @dataclass
    class NoPage:
        name: str

    context = {"obj": NoPage("x"), "pairs": [(Column("name", "name"), "x"), (Column("n", "n", numeric=True), "1")]}
    assert TAG_ROW.render(Context(context)) == TEMPLATE_ROW.render(Context(context)) == (
        '<tr><td><a href="">x</a></td><td class="num">1</td></tr>')


@pytest.mark.django_db
def test_a_plain_list_page_links_each_row(client_for, make_user):
    from tests.factories import SupplierFactory

    supplier = SupplierFactory(code="FAC<1>")
    html = client_for(make_user("admin")).get("/parties/suppliers/").content.decode()
    assert f'<tr><td><a href="{supplier.get_absolute_url()}">FAC&lt;1&gt;</a></td>' in html
