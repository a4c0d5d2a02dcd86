"""HTML reader (lxml; measured ~14x faster than BeautifulSoup on the 79 Leveson pages).

Dropped: script, style, nav, header, footer, aside, form, noscript and the like, and elements
whose class or id marks navigation, breadcrumbs, cookie banners, skip links or site footers.
Kept: h1-h6 as headings; p, li, blockquote, dd/dt, pre, captions and table rows (cells joined
by " | ") as blocks. An element with a class like "paranumber" gives its block an explicit
paragraph label ("1.1"); when a page has such markup, labels are taken only from it, never
guessed from the text (quoted paragraphs "30. The assessors ..." stay unlabelled). Footnote
references (<sup> linking to a note) are written "[12]"; footnotes (class/id "footnote") are
note blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import IngestError, MissingDependency
from .structure import Parsed, RawBlock, one_line

_DROP_TAGS = frozenset({
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "svg", "iframe", "button", "select", "input", "textarea", "object", "embed", "canvas",
    "map", "dialog", "menu",
})  # fmt: skip
_BLOCK_TAGS = frozenset({
    "p", "li", "blockquote", "dd", "dt", "pre", "caption", "figcaption", "tr", "div",
    "section", "article", "main", "body", "ul", "ol", "dl", "table", "thead", "tbody",
    "tfoot", "figure", "address", "center", "hr", "summary", "details", "legend", "fieldset",
})  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOILERPLATE = re.compile(
    r"breadcrumb|crumbs?\b|cookie|consent|navigation|navbar|\bnav\b|skip-?(link|to|nav)|"
    r"footer|sitecredit|site-credit|masthead|sidebar|\bmenu\b|\bshare\b|\bsocial\b|"
    r"\bsearch\b|\bbanner\b|contentinfo|hiddenstructure|visually-hidden|sr-only|\bprint-only\b",
    re.IGNORECASE,
)
_LABEL_CLASS = re.compile(r"para(graph)?[-_]?num|recommend\w*num", re.IGNORECASE)
_NOTE = re.compile(r"(^|[\s_-])(foot|end)notes?($|[\s_-])", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|::|»)\s+")
_SITE_PART = re.compile(
    r"\b(inquiry|inquiries|gov\.uk|website|online)$|\w\.(com|org|uk|net)\b", re.I
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BR = "\x00"


def read_html(text: str, path: Path, data: bytes | None = None) -> Parsed:
    try:
        import lxml.html
        from lxml import etree
    except ImportError as e:
        raise MissingDependency("reading HTML needs lxml: pip install lxml") from e
    text = _redecode(text, data)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_parser(lxml.html))
    except (etree.ParserError, ValueError) as e:
        raise IngestError(path, f"cannot parse HTML: {e}") from e
    explicit = any(_LABEL_CLASS.search(el.get("class", "")) for el in root.iter("a", "span"))
    walker = _Walker(explicit)
    body = root.find("body")
    walker.walk(body if body is not None else root, note=False, quote=False)
    walker.flush()
    return Parsed(blocks=walker.blocks, title=_title(root))


def _parser(lxml_html):
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def _redecode(text: str, data: bytes | None) -> str:
    """Valid UTF-8 wins; otherwise honour a declared <meta charset> over our cp1252 guess."""
    if data is None:
        return text
    try:
        data.decode("utf-8")
        return text
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if not m:
        return text
    try:
        return data.decode(m.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return text


def _boilerplate(el) -> bool:
    if el.tag == "header" and any(a.tag in ("article", "main") for a in el.iterancestors()):
        return False  # an article's own header holds its title
    if el.tag in _DROP_TAGS:
        return True
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    return bool(marks.strip()) and bool(_BOILERPLATE.search(marks))


class _Walker:
    """Document-order walk that cuts text into blocks at block-level elements."""

    def __init__(self, explicit: bool):
        self.explicit = explicit
        self.blocks: list[RawBlock] = []
        self.buf: list[str] = []
        self.label: str | None = None
        self.level: int | None = None
        self.ctx: tuple[str, bool] = ("text", not explicit)  # (kind, detect) of open block

    def flush(self) -> None:
        kind, detect = self.ctx
        text = _WS.sub(" ", "".join(self.buf))
        text = "\n".join(part.strip() for part in text.split(_BR)).strip()
        if text:
            level = self.level if kind == "heading" else None
            self.blocks.append(
                RawBlock(text, kind=kind, label=self.label, detect=detect, level=level)
            )
        self.buf, self.label = [], None

    def walk(self, el, *, note: bool, quote: bool) -> None:
        if not isinstance(el.tag, str) or _boilerplate(el):
            return
        tag = el.tag.lower()
        note = note or bool(_NOTE.search(f"{el.get('class', '')} {el.get('id', '')}"))
        quote = quote or tag == "blockquote"
        if tag == "br":
            self.buf.append(_BR)
        elif tag == "sup" and el.find(".//a[@href]") is not None:
            self.buf.append(f"[{el.text_content().strip()}]")
            return
        elif tag in ("td", "th") and el.getprevious() is not None:
            self.buf.append(" | ")
        elif _LABEL_CLASS.search(el.get("class", "")):
            self.label = el.text_content().strip().rstrip(".") or None
        outer, opens = self.ctx, tag in _BLOCK_TAGS or tag in _HEADINGS
        if opens:
            self.flush()
            self.ctx = self._context(tag, note, quote)
            self.level = int(tag[1]) if tag in _HEADINGS else None
        self.buf.append(el.text or "")
        for child in el:
            self.walk(child, note=note, quote=quote)
            self.buf.append(child.tail or "")
        if opens:
            self.flush()
            self.ctx = outer

    def _context(self, tag: str, note: bool, quote: bool) -> tuple[str, bool]:
        if tag in _HEADINGS:
            return "heading", False
        if note:
            return "note", False
        detect = not self.explicit and not quote and tag not in ("li", "dd", "dt", "tr", "pre")
        return "text", detect


def _title(root) -> str | None:
    """<title> without a site name part; the first <h1> when there is no <title>."""
    title = one_line(root.findtext(".//title") or "")
    if not title:
        h1 = root.find(".//h1")
        return one_line(h1.text_content()) if h1 is not None else None
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = one_line(root.xpath("string(//meta[@property='og:site_name']/@content)") or "").lower()
    if site and parts[0].lower() == site:
        return _join_parts(title, parts[1:])
    if (site and parts[-1].lower() == site) or (
        len(parts[-1].split()) <= 5 and _SITE_PART.search(parts[-1])
    ):
        return _join_parts(title, parts[:-1])
    return title


def _join_parts(title: str, parts: list[str]) -> str:
    """The original title from the first to the last kept part (separators as written)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip()
