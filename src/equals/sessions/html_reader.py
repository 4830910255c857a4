"""HTML reports (a saved IGF session page, an exported report) → :class:`Line` records.

Parsed with lxml's HTML parser; nothing is executed or fetched. Scripts, styles, forms,
embedded objects and the page chrome (navigation, header, footer) are dropped before reading.
Headings become heading lines, table rows become label | value rows, list items become
bulleted lines, and ``<br>`` breaks lines inside a paragraph.
"""

from __future__ import annotations

from typing import Any

from equals.core.i18n import Msg
from equals.sessions.errors import UnreadableReportError
from equals.sessions.lines import Line, colon_candidates

_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "form",
        "button",
        "select",
        "textarea",
        "input",
        "nav",
        "head",
        "link",
        "meta",
        "audio",
        "video",
        "math",
    }
)
_CHROME = frozenset({"header", "footer", "aside"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "li",
        "figure",
        "figcaption",
        "address",
        "center",
        "fieldset",
        "details",
        "summary",
        "hr",
        "caption",
        "tbody",
        "thead",
        "tfoot",
    }
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_MAX_DEPTH = 150
_ACTIVE = ("script", "iframe", "object", "embed")


def _inline(text: str) -> str:
    """Source line breaks inside HTML text are spaces; only ``<br>`` breaks a line."""
    return text.replace("\r", " ").replace("\n", " ")


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.bullet = False

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        for part in text.split("\n"):
            part = " ".join(part.split())
            if part:
                if self.bullet:
                    part = f"- {part}"
                self.lines.append(Line(text=part, whole=True, candidates=colon_candidates(part)))
        self.bullet = False

    def text_of(self, el: Any) -> str:
        out: list[str] = []
        self._collect(el, out, 0)
        return "".join(out)

    def _collect(self, el: Any, out: list[str], depth: int) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            return
        if tag == "br":
            out.append("\n")
        elif el.text and tag:
            out.append(el.text)
        if depth < _MAX_DEPTH:
            for child in el:
                self._collect(child, out, depth + 1)
                if child.tail:
                    out.append(child.tail)
        if tag in _BLOCK or tag in _HEADINGS or tag in ("td", "th", "tr"):
            out.append("\n")

    def table(self, el: Any) -> None:
        self.flush()
        for row in el.iter("tr"):
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            texts = [[" ".join(t.split()) for t in self.text_of(c).split("\n")] for c in cells]
            texts = [[t for t in ts if t] for ts in texts]
            if not any(texts):
                continue
            if len(cells) == 1:
                for t in texts[0]:
                    self.lines.append(Line(text=t, whole=True, candidates=colon_candidates(t)))
                continue
            label = " ".join(texts[0])
            values = [v for ts in texts[1:] for v in ts]
            self.lines.append(
                Line(text=values[0] if values else "", cell=label, row=True, whole=True)
            )
            self.lines.extend(Line(text=v, cell="", whole=True) for v in values[1:])

    def walk(self, el: Any, depth: int = 0) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # a comment or processing instruction: its tail is still text
            return
        if tag in _DROP or tag in _CHROME:
            return
        if tag in _HEADINGS:
            self.flush()
            text = " ".join(self.text_of(el).split())
            if text:
                self.lines.append(Line(text=text, heading=_HEADINGS[tag]))
            return
        if tag == "table":
            self.table(el)
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            if tag == "li":
                self.bullet = True
            if tag == "hr":
                self.lines.append(Line(text=""))
        if el.text:
            self.buffer.append(_inline(el.text))
        if depth >= _MAX_DEPTH:  # deeper than any real page: its text, in one piece
            self.buffer.append(" ".join(el.text_content().split()))
        else:
            for child in el:
                self.walk(child, depth + 1)
                if child.tail:
                    self.buffer.append(_inline(child.tail))
        if block:
            self.flush()
            if tag in ("p", "div", "section", "ul", "ol", "dl", "blockquote"):
                self.lines.append(Line(text=""))


def lines_from_html(text: str, name: str) -> tuple[tuple[Line, ...], int]:
    """The report's lines, and how many scripts/embedded objects were dropped."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    try:
        root = lxml.html.document_fromstring(text.replace("\x00", ""), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableReportError(
            name, Msg("not readable HTML (%(error)s)", error=str(exc))
        ) from None
    dropped = sum(1 for _ in root.iter(*_ACTIVE))
    title = root.find(".//title")
    title_text = " ".join(title.text_content().split()) if title is not None else ""
    for el in list(root.iter(*_DROP, *_CHROME)):  # gone before any text is read
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    walker.flush()
    lines = walker.lines
    if not any(ln.heading for ln in lines) and title_text:  # "<title>X | Site</title>"
        lines.insert(0, Line(text=title_text.split(" | ")[0], heading=1))
    while lines and not lines[-1].text:
        lines.pop()
    return tuple(lines), dropped
