"""Talk to a running Gradio app the way any HTTP client can, without the page: log in, read
the config, call an event handler by the element that triggers it.

Used by the security tests to show that what the page hides is refused by the server too.
"""

from __future__ import annotations

import json
import uuid

import httpx


class RawClient:
    """One HTTP session against the app at `url` (ends with '/')."""

    def __init__(self, url: str):
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=120, follow_redirects=False)
        self.session = uuid.uuid4().hex[:11]  # one page's session: updates persist across calls

    def close(self) -> None:
        self.http.close()

    def login(self, name: str, password: str) -> httpx.Response:
        return self.http.post("login", data={"username": name, "password": password})

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def config(self) -> dict:
        r = self.http.get("config")
        r.raise_for_status()
        return r.json()

    def handler_for(self, elem_id: str, event: str = "click") -> tuple[int, int]:
        """(fn_index, trigger component id) of the first handler `elem_id` fires on `event`."""
        cfg = self.config()
        ids = [c["id"] for c in cfg["components"] if c.get("props", {}).get("elem_id") == elem_id]
        if not ids:
            raise LookupError(f"no component with elem_id {elem_id!r}")
        for dep in cfg["dependencies"]:
            if [ids[0], event] in [list(t) for t in dep.get("targets", [])]:
                return dep["id"], ids[0]
        raise LookupError(f"no {event} handler on #{elem_id}")

    def upload(self, path) -> dict:
        with open(path, "rb") as f:
            r = self.http.post("gradio_api/upload", files={"files": (path.name, f)})
        r.raise_for_status()
        return {"path": r.json()[0], "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}

    def call(self, elem_id: str, data: list, event: str = "click", handler=None) -> dict:
        """Fire the handler through the queue, as the page does; returns the final message
        ({'success': bool, 'output': {...}}), or {'status': code, 'detail': text} when the
        server refused to queue it. `handler`: a (fn_index, trigger) looked up beforehand
        (by a client that may read the config)."""
        fn_index, trigger = handler or self.handler_for(elem_id, event)
        session = self.session
        body = {
            "data": data,
            "fn_index": fn_index,
            "trigger_id": trigger,
            "session_hash": session,
            "event_data": None,
        }
        r = self.http.post("gradio_api/queue/join", json=body)
        if r.status_code != 200:
            return {"status": r.status_code, "detail": r.text}
        event_id = r.json()["event_id"]
        with self.http.stream(
            "GET", "gradio_api/queue/data", params={"session_hash": session}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg.get("event_id") == event_id and msg.get("msg") == "process_completed":
                    return msg
        raise RuntimeError("the event stream ended without a result")
