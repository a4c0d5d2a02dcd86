"""What keeps document text inert in the page and uploads inside the corpus folder.

- `esc`, `esc_md`: document text is shown *escaped*, never as HTML or Markdown. A report that
  contains `<script>`, `<img onerror=...>` or `[x](javascript:...)` is displayed as those
  characters and executes nothing.
- `highlight`: a passage as escaped HTML with the cited sentence wrapped in <mark>.
- `printable`: a file name or title with control and bidirectional-override characters made
  visible as escapes (`\\u202e`), so a name cannot rewrite the terminal or read backwards.
- `safe_filename`: an uploaded file's name reduced to a plain file name (no folders, no `..`).
- `stored_name`: that name with the extension the content calls for. The content itself is
  judged by ingest/sniff.py, the one sniffer `inquiry ingest` uses too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

# Markdown punctuation that can make a link, image, emphasis, code, strike-through or table.
_MD_INLINE = re.compile(r"([\\`*_\[\]~|])")
# ... and what makes a heading, list or rule at the start of a line.
_MD_LINE_START = re.compile(r"(?m)^(\s*)(#|[-+=])")
_MD_ORDERED = re.compile(r"(?m)^(\s*\d+)([.)])(?=\s|$)")


def esc(text: object) -> str:
    """HTML-escape text (quotes too), for gr.HTML."""
    return html.escape("" if text is None else str(text), quote=True)


def esc_md(text: object) -> str:
    """Text shown literally inside Markdown: HTML-escaped, Markdown syntax backslash-escaped.

    `<script>` becomes `&lt;script&gt;` (shown, not run); `[x](javascript:...)` loses its
    brackets' meaning, so no link is made; `*`, `_`, `#`... are shown as typed.
    """
    s = "" if text is None else str(text)
    s = html.escape(s, quote=False)  # & < > first: no tag survives
    s = _MD_INLINE.sub(r"\\\1", s)
    s = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    s = _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    # a scheme written out in the text never becomes a live link
    return re.sub(r"(?i)\b(javascript|data|vbscript):", "\\1\u200d:", s)


def _ws_pattern(quote: str) -> re.Pattern | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_quote(text: str, quote: str | None) -> tuple[int, int] | None:
    """Where the verbatim quote sits in the passage text (whitespace-insensitive)."""
    if not quote or not text:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pat = _ws_pattern(quote)
    m = pat.search(text) if pat else None
    return (m.start(), m.end()) if m else None


def highlight(text: str, quote: str | None) -> str:
    """Escaped HTML of `text` with `quote` wrapped in <mark>."""
    span = find_quote(text, quote)
    if span is None:
        return esc(text)
    a, b = span
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def printable(text: object) -> str:
    """`text` with every control (Cc) and format (Cf: bidi overrides and isolates, zero-width
    characters) character replaced by its escape, e.g. "report\\u202efdp.exe"; other text,
    right-to-left scripts included, is unchanged."""
    s = "" if text is None else str(text)
    if all(unicodedata.category(c) not in ("Cc", "Cf") for c in s):
        return s
    return "".join(_escape(c) if unicodedata.category(c) in ("Cc", "Cf") else c for c in s)


def _escape(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


# -- uploads -------------------------------------------------------------------------------------
_NAME_OK = re.compile(r"[^A-Za-z0-9._ -]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}
TEXT_SUFFIXES = {".md", ".markdown", ".rst", ".txt"}


def safe_filename(name: str, max_len: int = 120) -> str:
    """A plain, portable file name from whatever the browser sent (no folders, no traversal)."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _NAME_OK.sub("_", base).strip(" .")
    base = re.sub(r"_+", "_", base)
    base = base.lstrip("-_ ")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    if not stem or stem.lower() in _WINDOWS_RESERVED:
        stem = f"upload_{stem}" if stem else "upload"
    ext = ext[:10]
    stem = stem[: max_len - len(ext) - 1].rstrip(" .")
    return f"{stem}.{ext}" if ext else stem


def stored_name(original: str, kind: str) -> str:
    """The safe name with the extension the *content* calls for (text keeps .md/.rst/.txt)."""
    name = safe_filename(original)
    p = Path(name)
    if kind == "text" and p.suffix.lower() in TEXT_SUFFIXES:
        return name
    want = EXTENSIONS[kind]
    if p.suffix.lower() == want or (kind == "html" and p.suffix.lower() == ".htm"):
        return name
    return f"{p.stem if p.suffix.lower() in _KNOWN else name}{want}"


_KNOWN = {".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md", ".rst", ".markdown"}


def inside(folder: Path, name: str) -> Path:
    """folder/name, refusing anything that would land outside `folder`."""
    root = Path(folder).resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise ValueError(f"{name!r} would be stored outside {root}")
    return target
