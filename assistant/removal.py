"""What removing a document did with its file: `Removal` (the document left the index; its
file deleted, kept, missing or not deleted and why) and `dispose`, which deletes the file only
when it is still the file that was ingested and lies in the folder it was ingested from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Removal:
    """What `Assistant.remove` did: the document left the index; its file was `deleted`,
    `kept` (asked to), `missing` already, or `not_deleted` (with the reason)."""

    record: object  # the DocRecord removed
    file: str
    reason: str = ""

    def file_note(self, delete_hint: str = "--delete-file") -> str:
        """One sentence on what happened to the file (`delete_hint`: how to ask for deletion)."""
        r = self.record
        back = f"the next ingest of {r.root} adds it back" if r.root else "an ingest adds it back"
        if self.file == "deleted":
            return f"Its file {r.path} was deleted."
        if self.file == "missing":
            return f"Its file {r.path} no longer exists."
        if self.file == "not_deleted":
            return f"Its file {r.path} was NOT deleted ({self.reason}): {back}."
        hint = f" ({delete_hint} also deletes the file)" if delete_hint else ""
        return f"Its file {r.path} was kept: {back}{hint}."

    def message(self) -> str:
        r = self.record
        return (
            f"removed {r.title} ({r.source}, {r.chunks} chunks) from the index. {self.file_note()}"
        )


def dispose(rec, delete_file: bool) -> Removal:
    """Delete a removed document's file when asked and safe (see Assistant.remove)."""
    from index.sync import fingerprint

    path = Path(rec.path) if rec.path else None
    if path is None or not path.is_file():
        return Removal(rec, "missing")
    if not delete_file:
        return Removal(rec, "kept")
    if not rec.root or Path(rec.root).resolve() not in path.resolve().parents:
        return Removal(
            rec, "not_deleted", f"it is not in the folder it was ingested from, {rec.root}"
        )
    try:
        if rec.version not in (fingerprint(path)[1], fingerprint(path, ocr=False)[1]):
            return Removal(rec, "not_deleted", "it changed since it was ingested")
        path.unlink()
    except OSError as e:
        return Removal(rec, "not_deleted", e.strerror or str(e))
    return Removal(rec, "deleted")
