"""Per-file caps that keep a hostile or broken file from hurting the ingest.

A small compressed file can inflate to gigabytes (a "zip bomb" DOCX), hold hundreds of
thousands of one-character paragraphs, or take minutes to parse, all while the ingest lock is
held. `ReadLimits` caps, for one file: its size on disk, its decompressed size, its paragraph
count and the seconds spent parsing it. A file over a cap is refused with an IngestError naming
the cap and the setting that raises it; the rest of the batch goes on and the lock is freed.

The values come from assistant/settings.py (the application layer) as arguments; the defaults
here only serve callers that pass none.
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass, field

from .errors import IngestError

MB = 1024 * 1024
# An element named p in any namespace prefix: <w:p>, <w:p w:rsidR=..>, <w:p/>.
_PARA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")
_READ_STEP = 1 * MB


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 100 * MB
    max_unpacked_bytes: int = 200 * MB
    max_paragraphs: int = 100_000
    max_parse_s: float = 120.0

    def deadline(self) -> Deadline:
        return Deadline(self.max_parse_s)


@dataclass
class Deadline:
    """Seconds allowed for parsing one file; `check(path)` raises once they are spent."""

    seconds: float
    start: float = field(default_factory=time.monotonic)

    def check(self, path) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise IngestError(
                path,
                f"parsing took longer than the {self.seconds:g} s limit "
                "(set INQUIRY_MAX_PARSE_S to raise it)",
            )

    def extend(self, seconds: float) -> None:
        """Time that does not count: OCR of a scanned page, which has its own timeout."""
        self.start += seconds


def check_paragraphs(count: int, path, limits: ReadLimits) -> None:
    if count > limits.max_paragraphs:
        raise IngestError(
            path,
            f"too many paragraphs: more than {limits.max_paragraphs:,} "
            "(set INQUIRY_MAX_PARAGRAPHS to raise it)",
        )


def check_zip(z: zipfile.ZipFile, path, limits: ReadLimits) -> None:
    """Refuse an archive whose members inflate past the cap, or whose main document holds more
    paragraphs than allowed. Declared sizes bound what zipfile returns (a member that inflates
    past its declared size fails its CRC check), so the declared total is the real bound."""
    total = sum(max(0, i.file_size) for i in z.infolist())
    if total > limits.max_unpacked_bytes:
        raise IngestError(
            path,
            f"unpacks to {total / MB:.1f} MB, more than the {limits.max_unpacked_bytes / MB:g} MB "
            "limit for decompressed content (set INQUIRY_MAX_UNPACKED_MB to raise it)",
        )
    if "word/document.xml" in z.namelist():
        found = _count_paragraphs(z, "word/document.xml", stop_after=limits.max_paragraphs)
        check_paragraphs(found, path, limits)


def _count_paragraphs(z: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """Paragraph elements in an XML member, read in steps: a tag cut between two steps is
    found whole in the next search, which starts with the previous step's last bytes. Stops
    reading once more than `stop_after` are found (the answer is then "too many")."""
    count, tail = 0, b""
    with z.open(member) as f:
        while True:
            step = f.read(_READ_STEP)
            buf = tail + step
            cut = len(buf) - 64 if step else len(buf)
            count += sum(1 for m in _PARA_TAG.finditer(buf) if m.start() < cut)
            tail = buf[max(cut, 0) :]
            if not step or count > stop_after:
                return count
