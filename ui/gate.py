"""What the app checks on every HTTP request before Gradio sees it (an ASGI middleware).

- **Uploads**: any POST with a file body (`multipart/form-data`, which is how Gradio's
  `/gradio_api/upload` and `/component_server` receive files) is refused with 403 unless it
  comes from a signed-in admin; in open mode nobody may upload. An admin's uploads count
  against a quota of `quota_bytes` per 24 hours (413 past it); a file body without a
  Content-Length is refused (411), so the quota cannot be dodged.
- **Sign-in**: the source address of a `/login` request is handed to the users store (the
  lockout is per login name *and* address), and a locked account gets a 400 that says so. A
  small inline script shows that sentence on the login form, whose own text would only say
  "Incorrect credentials".

The middleware is built per app by `Gate(...)`; its state (the quota ledger, the address of
the request being signed in) lives in that object, not in the module.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import time

from ui.auth import AccountLocked, UserStore

log = logging.getLogger("inquiry.ui")
DAY_S = 24 * 3600.0

# Replaces the login form's fixed "Incorrect credentials" with the server's own reason when it
# gives one (a temporary lock). Inline, loads nothing.
LOGIN_SCRIPT = b"""<script>(() => {
  const f = window.fetch;
  window.fetch = async (...a) => {
    const r = await f(...a);
    try {
      const u = new URL(String((a[0] && a[0].url) || a[0]), location.href);
      if (/\\/login\\/?$/.test(u.pathname) && r.status === 400) {
        const d = (await r.clone().json()).detail;
        if (typeof d === "string" && /locked/i.test(d)) {
          let n = 0;
          const show = () => {
            const p = document.querySelector(".creds");
            if (p) { p.textContent = d; p.id = "ia-login-error"; }
            else if (n++ < 40) setTimeout(show, 25);
          };
          setTimeout(show, 0);
        }
      }
    } catch (e) {}
    return r;
  };
})();</script>"""


class Gate:
    """Holds the per-app state; `Gate(users, quota_bytes).middleware` is the ASGI class."""

    def __init__(self, users: UserStore | None, quota_bytes: int):
        self.users = users
        self.quota_bytes = int(quota_bytes)
        self.source: contextvars.ContextVar[str] = contextvars.ContextVar("source", default="")
        self._lock = threading.Lock()
        self._ledger: dict[str, list[tuple[float, int]]] = {}
        gate = self

        class GateMiddleware:
            def __init__(self, app):
                self.app = app

            async def __call__(self, scope, receive, send):
                if scope["type"] != "http":
                    return await self.app(scope, receive, send)
                return await gate.handle(self.app, scope, receive, send)

        self.middleware = GateMiddleware

    # -- who is asking ---------------------------------------------------------------------------
    @staticmethod
    def client(scope) -> str:
        client = scope.get("client")
        return str(client[0]) if client else ""

    @staticmethod
    def username(scope) -> str | None:
        app = scope.get("app")
        tokens = getattr(app, "tokens", None)
        cookie_id = getattr(app, "cookie_id", None)
        if tokens is None or cookie_id is None:
            return None
        cookies = _cookies(scope)
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(
            f"access-token-unsecure-{cookie_id}"
        )
        return tokens.get(token) if token else None

    # -- uploads ---------------------------------------------------------------------------------
    def upload_refusal(self, scope) -> tuple[int, str] | None:
        """(status, reason) when this file upload may not go ahead, else None (and counted)."""
        if self.users is None:
            return 403, "Uploads are turned off: the app is open and read-only."
        name = self.username(scope)
        if name is None or self.users.role_of(name) != "admin":
            return 403, "Only admins can upload files."
        length = _header(scope, b"content-length")
        if not length or not length.isdigit():
            return 411, "An upload must say its length (Content-Length)."
        size = int(length)
        now = time.monotonic()
        with self._lock:
            recent = [(t, n) for t, n in self._ledger.get(name, []) if now - t < DAY_S]
            used = sum(n for _, n in recent)
            if used + size > self.quota_bytes:
                self._ledger[name] = recent
                mb = 1024 * 1024
                return 413, (
                    f"Upload quota reached: {used / mb:.1f} MB of {self.quota_bytes / mb:g} MB "
                    "used in the last 24 hours (INQUIRY_UPLOAD_QUOTA_MB)."
                )
            self._ledger[name] = [*recent, (now, size)]
        return None

    def used_bytes(self, name: str) -> int:
        now = time.monotonic()
        with self._lock:
            return sum(n for t, n in self._ledger.get(name, []) if now - t < DAY_S)

    # -- the middleware --------------------------------------------------------------------------
    async def handle(self, app, scope, receive, send):
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        ctype = _header(scope, b"content-type") or ""
        if method == "POST" and path.rstrip("/").endswith("/login"):
            token = self.source.set(self.client(scope))
            try:
                return await app(scope, receive, send)
            except AccountLocked as e:
                return await _json(send, 400, {"detail": str(e)})
            finally:
                self.source.reset(token)
        if method == "POST" and ctype.lower().startswith("multipart/form-data"):
            refusal = self.upload_refusal(scope)
            if refusal is not None:
                status, reason = refusal
                log.warning("upload refused (%s) from %s: %s", status, self.client(scope), reason)
                return await _json(send, status, {"detail": reason})
        if method == "GET" and self.users is not None and self.username(scope) is None:
            return await app(scope, receive, _inject_script(send))
        return await app(scope, receive, send)


def _header(scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or []:
        if k.lower() == name:
            return v.decode("latin-1").strip()
    return None


def _cookies(scope) -> dict[str, str]:
    out = {}
    raw = _header(scope, b"cookie") or ""
    for part in raw.split(";"):
        k, eq, v = part.strip().partition("=")
        if eq:
            out[k] = v
    return out


async def _json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _inject_script(send):
    """Wrap `send` so an HTML page gets LOGIN_SCRIPT before </head> (only the signed-out page
    reaches here); anything else passes through untouched."""
    state: dict = {"start": None, "chunks": []}

    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers") or [])
            is_html = headers.get(b"content-type", b"").startswith(b"text/html")
            if not is_html or b"content-encoding" in headers:
                state["start"] = False
                return await send(message)
            state["start"] = message
            return None
        if message["type"] != "http.response.body" or state["start"] is False:
            return await send(message)
        state["chunks"].append(message.get("body", b""))
        if message.get("more_body"):
            return None
        body = b"".join(state["chunks"]).replace(b"</head>", LOGIN_SCRIPT + b"</head>", 1)
        start = state["start"]
        headers = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped
