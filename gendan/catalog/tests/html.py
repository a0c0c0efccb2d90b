"""Read what a page shows, as a user would see it: tables, form controls and links."""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.controls: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid"):
            self._table = attrs["data-testid"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("input", "textarea", "select", "button"):
            self.controls.append({"tag": tag, **attrs})
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page(response) -> _Page:
    parser = _Page()
    parser.feed(response.content.decode())
    return parser


def table(response, testid: str) -> list[list[str]]:
    """The rows (header row first) of the table marked ``data-testid=testid``, as cell texts."""
    return page(response).tables[testid]


def controls(response, **match) -> list[dict]:
    """Form controls (input, textarea, select, button) whose attributes equal ``match``."""
    return [c for c in page(response).controls if all(c.get(k) == v for k, v in match.items())]
