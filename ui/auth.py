"""App logins: a users file of `user:role:bcrypt-hash` lines, and the roles they grant.

Where the logins come from: the INQUIRY_USERS setting names the users file. When it is empty
the app runs *open and read-only*: anyone who can reach the port may ask questions and pull
excerpts, and the Library tab (upload, re-ingest, remove) is not built at all. When it is set,
the file must exist and hold at least one user, or the app refuses to start.

Roles:
  - ``admin``: everything, including the Library tab (upload, re-ingest, remove documents);
  - ``reviewer`` and ``trainee``: read-only (Ask and Excerpts).

Passwords are stored only as bcrypt hashes; they are never written in plain text, logged or
echoed. `inquiry users NAME --role ROLE` (see `add_user`) creates or updates a login.
This module does not import Gradio: the CLI uses it too.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ConfigError, InquiryError

ROLES = ("admin", "reviewer", "trainee")
ADMIN = "admin"
_USER_RE = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt only reads the first 72 bytes: refuse longer, never truncate
_ROUNDS = 12
MAX_FAILURES = 5  # defaults; the app passes settings.login_failures and settings.lockout_s
LOCKOUT_S = 60.0
# verified against when the user is unknown, so a wrong name costs as much time as a wrong password
_DUMMY_HASH = b"$2b$12$m.YHu2BhrVq4bw/ibAhsFuuPLmExvV938j0TboaXa.YfcuWAwqa6O"
log = logging.getLogger("inquiry.auth")


class AccountLocked(InquiryError):
    """Too many wrong passwords for this login name from this address: wait, then retry."""

    def __init__(self, seconds: float):
        self.seconds = max(1, round(seconds))
        super().__init__(
            "This account is temporarily locked after too many failed sign-ins from your "
            f"address. Try again in {self.seconds} s."
        )


@dataclass(frozen=True)
class User:
    name: str
    role: str
    hash: str


def hash_password(password: str, rounds: int = _ROUNDS) -> str:
    import bcrypt

    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    import bcrypt

    data = (password or "").encode("utf-8")
    if not data or len(data) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(data, hashed.encode("ascii"))
    except (ValueError, TypeError):
        return False


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InquiryError(f"password too short: use at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise InquiryError(f"password too long: bcrypt reads at most {MAX_PASSWORD_BYTES} bytes")


def check_user(name: str, role: str) -> None:
    if not _USER_RE.match(name or ""):
        raise InquiryError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    if role not in ROLES:
        raise InquiryError(f"invalid role {role!r}: choose one of {', '.join(ROLES)}")


def parse_users(text: str, origin: str = "users file") -> dict[str, User]:
    """`user:role:hash` per line; blank lines and `#` comments ignored."""
    users: dict[str, User] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":", 2)
        if len(parts) != 3 or not parts[2].startswith("$2"):
            raise ConfigError(f"{origin}, line {n}: expected user:role:bcrypt-hash")
        name, role, hashed = parts
        try:
            check_user(name, role)
        except InquiryError as e:
            raise ConfigError(f"{origin}, line {n}: {e}") from None
        users[name] = User(name, role, hashed)
    return users


def format_users(users: dict[str, User]) -> str:
    head = "# inquiry-assistant logins: user:role:bcrypt-hash (edit with `inquiry users`)\n"
    return head + "".join(f"{u.name}:{u.role}:{u.hash}\n" for u in users.values())


def default_users_file() -> Path:
    """INQUIRY_USERS if set, else `<INQUIRY_HOME>/users.txt`."""
    from assistant.settings import Settings

    s = Settings.from_env()
    return Path(s.users_file).expanduser() if s.users_file else Path(s.home) / "users.txt"


def add_user(file: str | None, user: str, role: str, password: str | None) -> Path:
    """Create or update one login; returns the users file. Prompts when `password` is None."""
    check_user(user, role)
    path = Path(file).expanduser() if file else default_users_file()
    if password is None:
        password = getpass.getpass(f"Password for {user}: ")
        if getpass.getpass("Again: ") != password:
            raise InquiryError("the two passwords differ")
    hashed = hash_password(password)
    users = parse_users(path.read_text("utf-8"), str(path)) if path.exists() else {}
    users[user] = User(user, role, hashed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(format_users(users))
    os.replace(tmp, path)
    return path


class UserStore:
    """The logins the app checks, re-read whenever the file changes (no restart needed).

    Lockout: after `max_failures` wrong passwords in a row for one login name *from one source
    address* (each less than `lockout_s` after the one before), that pair is refused for
    `lockout_s` seconds; the same name
    from another address is not affected, so nobody can lock the admin out from elsewhere.
    Every attempt (locked or not, known name or not) costs one bcrypt check, so the reply time
    does not show whether a lock is on. Failed sign-ins are logged with name and address,
    never the password."""

    def __init__(
        self, path: str | Path, *, max_failures: int = MAX_FAILURES, lockout_s: float = LOCKOUT_S
    ):
        self.path = Path(path).expanduser()
        self.max_failures = max(1, int(max_failures))
        self.lockout_s = float(lockout_s)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._users: dict[str, User] = {}
        self._failures: dict[tuple[str, str], dict] = {}  # (name, source) -> run, last, until
        if not self.path.is_file():
            raise ConfigError(
                f"INQUIRY_USERS={self.path}: no such file; create a login with "
                "`inquiry users NAME --role admin`"
            )
        if not self.users():
            raise ConfigError(f"INQUIRY_USERS={self.path}: the file holds no users")

    def users(self) -> dict[str, User]:
        with self._lock:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                self._users = parse_users(self.path.read_text("utf-8"), str(self.path))
                self._stamp = stamp
            return self._users

    def locked_for(self, name: str, source: str = "") -> float:
        """Seconds left on the lock of (name, source); 0 when not locked."""
        with self._lock:
            state = self._failures.get((name or "", source or ""))
            return max(0.0, state["until"] - time.monotonic()) if state else 0.0

    def authenticate(self, name: str, password: str, source: str = "") -> bool:
        """True for a right name and password; False for a wrong one or while locked."""
        try:
            return self.check(name, password, source)
        except AccountLocked:
            return False

    def check(self, name: str, password: str, source: str = "") -> bool:
        """True for a right name and password; raises AccountLocked while (name, source) is
        locked. A bcrypt check runs every time, so a locked reply takes as long as any other.
        Wrong passwords less than `lockout_s` apart make a run; a run of `max_failures` locks
        the pair for `lockout_s`; a right password ends the run."""
        user = self.users().get(name or "")
        ok = verify_password(password or "x", user.hash if user else _DUMMY_HASH.decode())
        ok = ok and user is not None
        left = self.locked_for(name, source)
        if left > 0:
            log.warning("sign-in refused: %r from %s is locked for %.0f s", name, source, left)
            raise AccountLocked(left)
        key = (name or "", source or "")
        now = time.monotonic()
        with self._lock:
            if ok:
                self._failures.pop(key, None)
                return True
            state = self._failures.get(key)
            if state is None or now - state["last"] > self.lockout_s:
                state = self._failures[key] = {"run": 0, "last": now, "until": 0.0}
            state["run"] += 1
            state["last"] = now
            run = state["run"]
            if run >= self.max_failures:
                state["run"], state["until"] = 0, now + self.lockout_s
        log.warning(
            "failed sign-in for %r from %s (%d of %d before a %g s lock)",
            name,
            source or "?",
            run,
            self.max_failures,
            self.lockout_s,
        )
        return False

    def role_of(self, name: str | None) -> str | None:
        user = self.users().get(name or "")
        return user.role if user else None


def role_for(store: UserStore | None, username: str | None) -> str:
    """The role a request acts with. Open mode (no users file): read-only `trainee`."""
    if store is None:
        return "trainee"
    return store.role_of(username) or "none"


def is_admin(store: UserStore | None, username: str | None) -> bool:
    return store is not None and role_for(store, username) == ADMIN
