"""What keeps document text inert in the page and uploads inside the corpus folder.

- `esc`, `esc_md`: document text is shown *escaped*, never as HTML or Markdown. A report that
  contains `<script>`, `<img onerror=...>` or `[x](javascript:...)` is displayed as those
  characters and executes nothing.
- `highlight`: a passage as escaped HTML with the cited sentence wrapped in <mark>.
- `safe_filename`: an uploaded file's name reduced to a plain file name (no folders, no `..`).
- `sniff`: a file's type decided by its content (magic bytes), not by its name.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
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


def sniff(head: bytes, path: Path | None = None) -> str | None:
    """'pdf' | 'docx' | 'html' | 'text' from the content, or None when it is none of them.

    `head` is the start of the file (8 KiB is plenty); `path` is needed to look inside a zip.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(path, head) else None
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if e.reason != "unexpected end of data" or e.start < len(head) - 3:
            return None
        text = head[: e.start].decode("utf-8")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<") and re.search(r"<(html|head|body)[\s>]", start[:2048])
    ):
        return "html"
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    return "text"


def _is_docx(path: Path | None, head: bytes) -> bool:
    try:
        src = path if path is not None else io.BytesIO(head)
        with zipfile.ZipFile(src) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


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
