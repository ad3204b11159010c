"""Reading the pages the tutorials serve: forms and stylesheet links."""

from __future__ import annotations

import dataclasses
import html.parser
import urllib.parse


@dataclasses.dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str]
    text_fields: list[str]
    has_submit: bool


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.stylesheets: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                a.get("method", "get").lower() or "get", a.get("action", ""), {}, [], False
            )
            self.forms.append(self._form)
        elif tag == "link" and "stylesheet" in a.get("rel", "").lower().split():
            self.stylesheets.append(a.get("href", ""))
        elif self._form is not None and tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.has_submit = True
            elif "name" in a:
                self._form.fields[a["name"]] = a.get("value", "")
                if kind == "text":
                    self._form.text_fields.append(a["name"])
        elif (
            self._form is not None
            and tag == "button"
            and a.get("type", "submit").lower() == "submit"
        ):
            self._form.has_submit = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def parse(page: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    return parser


def forms(page: str) -> list[Form]:
    """The forms of an HTML page, with their fields' default values."""
    return parse(page).forms


def stylesheets(page: str) -> list[str]:
    """The hrefs of the page's ``<link rel="stylesheet">`` elements."""
    return parse(page).stylesheets


def resolve(base_path: str, reference: str) -> str:
    """The absolute path a reference on the page at ``base_path`` points to."""
    return urllib.parse.urlsplit(urllib.parse.urljoin("http://host" + base_path, reference)).path
