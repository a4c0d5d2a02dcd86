"""An uploaded file before the Library stores it: its size and type checked *by content*
with the sniffer `inquiry ingest` uses (ingest/sniff.py), the name it is stored under, and
Gradio's temporary copy deleted afterwards (ui/library.py calls these).
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.sniff import sniff
from ui.safety import stored_name

UPLOAD_KINDS = {"pdf": "pdf", "docx": "docx", "html": "html", "md": "text", "rst": "text"}


def check_upload(path: Path, original: str, max_bytes: int) -> tuple[str | None, str]:
    """(stored name, '') for an acceptable file, or (None, reason) for one refused. The type is
    decided by ingest/sniff.py from the content, under the name the user gave."""
    try:
        size = path.stat().st_size
        if size == 0:
            return None, "the file is empty"
        if size > max_bytes:
            mb = 1048576
            return None, f"too large: {size / mb:.1f} MB (the limit is {max_bytes / mb:g} MB)"
        data = path.read_bytes()
    except OSError as e:
        return None, f"cannot read the upload: {e.strerror or e}"
    try:
        fmt, _ = sniff(data, Path(original))
    except IngestError as e:
        return None, f"{e.reason} (checked by content, not by name)"
    return stored_name(original, UPLOAD_KINDS.get(fmt, "text")), ""


def discard_uploads(paths: list[Path]) -> None:
    """Delete Gradio's temporary copies of uploaded files (only inside its upload folder)."""
    from gradio.utils import get_upload_folder

    root = Path(get_upload_folder()).resolve()
    for p in paths:
        try:
            real = p.resolve()
            if root not in real.parents or not real.is_file():
                continue
            real.unlink()
            if real.parent != root and not any(real.parent.iterdir()):
                real.parent.rmdir()
        except OSError:
            continue
