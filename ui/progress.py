"""Long admin jobs (ingest, remove) run in a thread while the page says what they are doing.

`Job(fn)` runs `fn(report)` in a daemon thread; iterating the job yields each event `fn`
reported, or None once a second while nothing happens, until `fn` returns. `job.value` /
`job.error` hold the outcome. `IngestStatus` and `RemoveStatus` turn the events into one line:
which step, how far (files, passages) and for how long, so the status never shows a stale
result under a spinner.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

_DONE = object()
ACTION_WORDS = {
    "new": "added",
    "changed": "updated",
    "unchanged": "unchanged",
    "removed": "removed",
    "failed": "failed",
}


class Job:
    def __init__(self, fn: Callable[[Callable], object], name: str = "ui-job"):
        self.events: queue.Queue = queue.Queue()
        self.value = None
        self.error: BaseException | None = None
        self.t0 = time.monotonic()

        def work():
            try:
                self.value = fn(self.events.put)
            except Exception as e:  # reported by the caller, never a traceback in the page
                self.error = e
            finally:
                self.events.put(_DONE)

        threading.Thread(target=work, name=name, daemon=True).start()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.t0

    def __iter__(self) -> Iterator:
        while True:
            try:
                event = self.events.get(timeout=1.0)
            except queue.Empty:
                yield None
                continue
            if event is _DONE:
                return
            yield event


class IngestStatus:
    """Status of an ingest from its events: ("plan", plan), ("item", item), ("embed", n),
    ("ocr", (file name, page, pages)), ("step", "keywords")."""

    def __init__(self, folder: str):
        self.folder = folder
        self.plan = None
        self.items: dict = {}
        self.embedded = 0
        self.step = "planning"
        self.last = ""
        self.ocr = ""  # "scan.pdf, page 3 of 12" while a scanned file is read by OCR

    def update(self, event) -> None:
        if event is None:
            return
        kind, value = event
        if kind == "plan":
            self.plan, self.step = value, "files"
        elif kind == "ocr":
            name, page, pages = value
            self.ocr = f"{name}, page {page} of {pages}"
        elif kind == "item":
            self.ocr = ""
            self.items[value.source] = value
            self.last = f"{value.source} ({ACTION_WORDS.get(value.action, value.action)})"
        elif kind == "embed":
            self.embedded += int(value)
        elif kind == "step":
            self.step = value

    def text(self, seconds: float) -> str:
        secs = f"{seconds:.0f} s"
        if self.step == "planning":
            return f"Comparing the library folder ({self.folder}) with the index… {secs}"
        work = [i for i in (self.plan.items if self.plan else []) if i.action != "unchanged"]
        same = len(self.plan.items) - len(work) if self.plan else 0
        done = sum(1 for i in self.items.values() if i.action != "unchanged")
        if self.step == "keywords":
            return (
                f"All {len(work)} file(s) indexed; rebuilding the keyword search index over the "
                f"library… {secs}"
            )
        head = f"Indexing file {min(done + 1, len(work))} of {len(work)}"
        tail = f"; last: {self.last}" if self.last else ""
        if self.ocr:
            tail = f"; reading scanned pages by OCR: {self.ocr}{tail}"
        return (
            f"{head} ({same} unchanged); {self.embedded} passage(s) embedded so far; {secs}{tail}"
        )


class RemoveStatus:
    """Status of a removal from its steps: "removing", then "keywords"."""

    def __init__(self, title: str, source: str, chunks: int):
        self.what = f"“{title}” ({source}, {chunks} passages)"
        self.step = "waiting"

    def update(self, event) -> None:
        if event is not None:
            self.step = event

    def text(self, seconds: float) -> str:
        secs = f"{seconds:.0f} s"
        if self.step == "waiting":
            return f"Removing {self.what}: waiting for the index… {secs}"
        if self.step == "removing":
            return f"Removing {self.what}, step 1 of 2: deleting its passages… {secs}"
        return (
            f"Removing {self.what}, step 2 of 2: its passages are deleted; rebuilding the "
            f"keyword search index… {secs}"
        )
