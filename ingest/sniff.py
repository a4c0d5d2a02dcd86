"""Which reader a file needs, decided by its content (magic bytes), not its name.

The extension only chooses between text flavours (Markdown, reStructuredText, plain text, HTML
fragments). A binary the readers cannot handle is refused with what it really is, and with what
the extension claimed when the two disagree.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from .errors import IngestError, UnsupportedFormat

MARKDOWN_EXT = frozenset({".md", ".markdown", ".mdown", ".mkd"})
RST_EXT = frozenset({".rst", ".rest"})
HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
# Extensions that promise a binary container: a mismatching content is an error, not text.
CONTAINER_EXT = frozenset(
    {".docx", ".docm", ".doc", ".xlsx", ".xls", ".pptx", ".ppt", ".odt", ".zip"}
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"{\\rtf", "RTF document (save it as DOCX or PDF)"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
    (b"%!PS", "PostScript document (convert it to PDF)"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_KINDS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "Excel spreadsheet (.xlsx)"),
    ("ppt/presentation.xml", "PowerPoint presentation (.pptx)"),
    ("META-INF/container.xml", "EPUB e-book"),
    ("content.xml", "OpenDocument file (save it as DOCX or PDF)"),
)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def sniff(data: bytes, path: Path) -> tuple[str, str | None]:
    """(format, decoded text or None). format: pdf | docx | html | md | rst | txt.

    Raises UnsupportedFormat for content we cannot read, naming what it is.
    """
    ext = path.suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf", None
    what = _binary_kind(data)
    if what == "docx":
        return "docx", None
    if what:
        raise UnsupportedFormat(path, _mismatch(ext, what))
    if ext in CONTAINER_EXT:
        raise UnsupportedFormat(
            path,
            f"the extension says {ext} but the content is not a {ext} file (not a ZIP archive)",
        )
    text = decode_text(data, path)
    if _HTML_START.match(text[:4096]) or ext in HTML_EXT:
        return "html", text
    if ext in MARKDOWN_EXT:
        return "md", text
    if ext in RST_EXT:
        return "rst", text
    return "txt", text


def _mismatch(ext: str, what: str) -> str:
    if ext:
        return f"the extension says {ext} but the content is {what}; this type is not supported"
    return f"unsupported file type: the content is {what}"


def _binary_kind(data: bytes) -> str | None:
    """A description of a known binary type, "docx" for a Word document, None for other data."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return (
            "an OLE compound file: an old Word/Excel 97-2003 file or a password-protected "
            "Office document; remove any password and save it as .docx or PDF"
        )
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP image"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive"
    for member, kind in _ZIP_KINDS:
        if member in names:
            return kind
    return "ZIP archive"


def decode_text(data: bytes, path: Path) -> str:
    """Decode text: a BOM wins (UTF-8, UTF-16); then strict UTF-8; then cp1252.

    cp1252 (Windows Western, a superset of printable Latin-1) is accepted only when every byte
    decodes and fewer than 1 in 1,000 characters are control characters; anything else is
    refused as "not UTF-8 text (looks binary)". NUL bytes without a UTF-16 BOM mean binary.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise IngestError(path, f"invalid {enc} text after its byte-order mark: {e}") from e
    if b"\x00" in data[:8192]:
        raise UnsupportedFormat(path, "not UTF-8 text (looks binary: it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise UnsupportedFormat(path, "not UTF-8 text (looks binary)") from e
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls * 1000 > len(text):
        raise UnsupportedFormat(path, "not UTF-8 text (looks binary)")
    return text
