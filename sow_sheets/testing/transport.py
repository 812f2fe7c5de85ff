"""requests transport adapters: one answering for sheets.googleapis.com, one refusing all else."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

SHEETS_ORIGIN = "https://sheets.googleapis.com/"
TOKEN_ORIGIN = "https://oauth2.googleapis.com/"

Body = Mapping[str, Any] | str | bytes
Handler = Callable[[requests.PreparedRequest], tuple[int, Body, dict[str, str]]]


def encode(body: Body) -> tuple[bytes, str]:
    """A reply body as bytes and its content type: JSON for mappings, HTML for text."""
    if isinstance(body, bytes):
        return body, "application/json; charset=UTF-8"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/html; charset=UTF-8"
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8"), "application/json; charset=UTF-8"


def make_response(
    request: requests.PreparedRequest,
    status: int,
    body: Body,
    headers: Mapping[str, str],
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}.get(
        status, "Error"
    )
    content, content_type = encode(body)
    response.headers = CaseInsensitiveDict({"Content-Type": content_type, **headers})
    response._content = content
    response.encoding = "utf-8"
    response.url = request.url or ""
    response.request = request
    return response


class SheetsAdapter(BaseAdapter):
    """Answers Sheets v4 requests in-process through ``handler``."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        status, body, headers = self.handler(request)
        return make_response(request, status, body, headers)

    def close(self) -> None:
        pass


class RefusingAdapter(BaseAdapter):
    """Refuses every request it gets: tests must never reach the network."""

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        host = urlsplit(request.url or "").netloc
        raise requests.ConnectionError(f"the Sheets emulator refuses requests to {host!r}")

    def close(self) -> None:
        pass
