"""A local OpenAI-compatible chat-completions server for tests: ``POST /v1/chat/completions`` answers with scripted
replies (chat.completion JSON with usage fields, HTTP errors, delays), records every request body and counts the
requests in flight at once. Loopback only; closing it leaves no thread running. Reuses the ``Reply`` of
``http_server.py``.

    with OpenAIServer() as server:
        server.script(Reply(429, headers={"Retry-After": "1"}), completion('{"level": null, ...}'))
        client = LlmClient(ClientConfig(base_url=server.base_url, ...), price=FREE)
        assert len(server.requests) == 2
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

from http_server import Reply
from loopback import LoopbackServer, TrackedHandler

CHAT_PATH = "/v1/chat/completions"
Responder = Callable[[dict[str, Any]], Reply]  # a reply computed from the request body


def completion(
    content: str | None,
    *,
    prompt_tokens: int = 1_000,
    completion_tokens: int = 200,
    refusal: str | None = None,
    finish_reason: str = "stop",
    model: str = "test-model",
    delay: float = 0.0,
    usage: bool = True,
) -> Reply:
    """A 200 chat.completion reply with one choice (``usage`` False leaves the usage object out)."""
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_764_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
    }
    if usage:
        body["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
    return Reply(200, body, delay=delay)


def error(status: int, message: str, *, headers: dict[str, str] | None = None, delay: float = 0.0) -> Reply:
    """An OpenAI-style error reply."""
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
    return Reply(status, body, headers=headers or {}, delay=delay)


class ChatRequest(NamedTuple):
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]

    @property
    def response_format(self) -> str | None:
        fmt = self.body.get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None


class _Handler(TrackedHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        headers = {name.lower(): value for name, value in self.headers.items()}
        owner = self.server.owner
        owner.enter()
        try:
            reply = owner.next_reply(ChatRequest(self.path, headers, body))
            if reply.delay and self.server.stopping.wait(reply.delay):
                self.close_connection = True
                return
            payload, content_type = reply.encoded()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type or "application/json")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
            except OSError:  # the client timed out and hung up
                self.close_connection = True
        finally:
            owner.leave()


class OpenAIServer(LoopbackServer):
    """Scripted chat-completions replies on 127.0.0.1 (a free port); use as a context manager.

    ``script(*replies)`` queues replies served in order (each a ``Reply`` or a function of the request body);
    when the queue is empty, ``default`` answers (a 500 unless set)."""

    def __init__(self) -> None:
        self._queue: list[Reply | Responder] = []
        self.default: Reply | Responder = error(500, "no reply scripted")
        self._requests: list[ChatRequest] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        super().__init__(_Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | Responder) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def requests(self) -> list[ChatRequest]:
        with self._lock:
            return list(self._requests)

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def next_reply(self, request: ChatRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            if request.path != CHAT_PATH:
                return error(404, f"unknown path {request.path}")
            item = self._queue.pop(0) if self._queue else self.default
        return item(request.body) if callable(item) else item
