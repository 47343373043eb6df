"""HTML to plain text with the standard library: block elements become line breaks; the
``<meta>`` tags (where article pages carry their citation metadata) are kept by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "form",
    "button",
    "select",
    "iframe",
    "head",
}
BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "pre",
    "hr",
    "td",
    "th",
    "main",
    "aside",
    "figcaption",
    "title",
}


@dataclass
class HtmlPage:
    """A page's visible text and its ``<meta>`` tags: lower-cased name -> contents in
    page order (``citation_author`` appears once per author)."""

    text: str
    meta: dict[str, list[str]] = field(default_factory=dict)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            name = values.get("name") or values.get("property")
            content = " ".join((values.get("content") or "").split())
            if name and content:
                self.meta.setdefault(name.strip().lower(), []).append(content)
        elif tag in SKIP:
            self.skip_depth += 1
        elif tag in BLOCK:
            self.parts.append("\n\n" if tag in {"p", "h1", "h2", "h3", "title"} else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCK:
            self.parts.append("\n\n" if tag in {"p", "h1", "h2", "h3", "title"} else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def parse_html(markup: str) -> HtmlPage:
    """The visible text of an HTML page (one block per line, blank lines between
    paragraphs) and its meta tags."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; this is belt and braces
        pass
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return HtmlPage("\n".join(out).strip(), parser.meta)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page."""
    return parse_html(markup).text
