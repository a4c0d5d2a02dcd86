"""One ingest at a time on a store: an exclusive lock file in the data directory for an
embedded store, a lock held in the Chroma server itself for a shared one (so ingests from two
machines, or two data directories, into one server exclude each other)."""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

from index.errors import IndexBusy

_POLL_S = 0.2  # how often a waiting ingest tries the lock again


def _busy(holder: str, where: str) -> IndexBusy:
    return IndexBusy(
        f"another ingest ({holder}) is running on {where}; "
        "wait for it to finish or pass --wait SECONDS"
    )


@contextmanager
def ingest_lock(home: Path, *, wait_s: float = 0.0):
    """Hold the ingest lock; raise IndexBusy if another process holds it after `wait_s`."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "ingest.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    raise _busy(f"pid {holder}", str(home)) from None
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


@contextmanager
def server_lock(client, name: str, where: str, *, wait_s: float = 0.0, stale_s: float = 60.0):
    """Hold the ingest lock kept in a Chroma server: a collection called `name` exists while
    an ingest holds it (creating a collection that exists fails, so only one creator wins).
    The holder renews it every `stale_s / 4` seconds; one not renewed for `stale_s` (its
    process died) is broken by the next ingest, and so at once is one whose process ran on
    this machine and is gone (a crashed or killed ingest). Raise IndexBusy after `wait_s`."""
    token = uuid.uuid4().hex
    me = {"pid": os.getpid(), "host": socket.gethostname(), "token": token}
    deadline = time.monotonic() + wait_s
    while True:
        try:
            col = client.create_collection(name, metadata={**me, "beat": time.time()})
            break
        except Exception as e:
            if not _exists_error(e):
                raise
        holder = _holder(client, name)
        if holder is not None and (
            time.time() - float(holder.get("beat", 0)) > stale_s or _dead_here(holder)
        ):
            _break(client, name, holder.get("token"))
            continue
        if time.monotonic() >= deadline:
            who = holder or {}
            raise _busy(f"pid {who.get('pid', '?')} on {who.get('host', '?')}", where)
        time.sleep(_POLL_S)
    stop = threading.Event()
    beat = threading.Thread(target=_renew, args=(col, me, stop, stale_s / 4), daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join(5)
        if (_holder(client, name) or {}).get("token") == token:
            with suppress(Exception):  # gone already: nothing to release
                client.delete_collection(name)


def _exists_error(e: Exception) -> bool:
    return "already exists" in str(e).lower() or type(e).__name__ in (
        "UniqueConstraintError",
        "InternalError",
    )


def _holder(client, name: str) -> dict | None:
    try:
        return dict(client.get_collection(name).metadata or {})
    except Exception:  # noqa: BLE001 - released meanwhile
        return None


def _dead_here(holder: dict) -> bool:
    """Whether the lock's holder ran on this machine and its process is gone."""
    if holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(holder.get("pid", 0)), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):  # alive under another user, or no pid recorded
        return False
    return False


def _break(client, name: str, token) -> None:
    """Delete a stale lock, unless another ingest broke it and took it meanwhile."""
    if (_holder(client, name) or {}).get("token") == token:
        with suppress(Exception):  # someone else broke it first
            client.delete_collection(name)


def _renew(col, me: dict, stop: threading.Event, every_s: float) -> None:
    while not stop.wait(every_s):
        with suppress(Exception):  # the server is away: the ingest itself will fail
            col.modify(metadata={**me, "beat": time.time()})
