"""A read-only view of a collection on a Chroma server, over its HTTP API (stdlib only).

A question on a server store needs four calls: the collection (its id, build stamp and
generation), its count, a nearest-neighbour query and vectors by id. Importing ``chromadb``
for them cost every server client ~1.1 s before its first answer (chromadb 1.5 loads its
whole API, its pydantic models and OpenTelemetry), more than the rest of a cold ``ask``.
This view speaks the same v2 REST API as ``chromadb.HttpClient`` (default tenant and
database, JSON bodies as its ``FastAPI`` client sends them) and answers in the shapes its
collection's ``get``/``query`` return. Ingest, which writes, still uses chromadb's client.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlparse

API = "/api/v2/tenants/default_tenant/databases/default_database/collections"
LOOKUP_TIMEOUT = 10.0  # seconds for the small calls: the collection, its count
DATA_TIMEOUT = 120.0  # a query, or a 5,000-chunk page of a large collection


class RemoteError(Exception):
    """A call to the server did not give Chroma's answer; the message is one line."""


class RemoteUnreachable(RemoteError):
    """No answer: refused, reset, an unknown host, a bad address, or timed out."""

    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class RemoteNotChroma(RemoteError):
    """Something answered, but not as Chroma's v2 API does (not HTTP or JSON, a redirect,
    a route it does not have)."""


class RemoteFailed(RemoteError):
    """The server answered with an error."""

    def __init__(self, status: int, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind  # Chroma's error type ("NotFoundError"), empty if it gave none


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is refused, not followed: urllib would turn a POST into a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)  # proxies from the environment, as httpx


def base_url(chroma_url: str) -> str:
    """Scheme, host and port of ``chroma_url``, as chromadb's HttpClient reads them."""
    url = urlparse(chroma_url)
    port = url.port or (443 if url.scheme == "https" else 8000)
    host = url.hostname or "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{'https' if url.scheme == 'https' else 'http'}://{host}:{port}"


def _one_line(text: object) -> str:
    return " ".join(str(text).split())[:200]


def _call(url: str, body: dict[str, Any] | None = None, timeout: float = DATA_TIMEOUT) -> Any:
    """One request (GET, or POST with a JSON body); the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        if 300 <= err.code < 400:
            where = err.headers.get("Location") or "elsewhere"
            raise RemoteNotChroma(f"it redirects to {_one_line(where)}") from None
        kind, message = _error_of(err)
        raise RemoteFailed(err.code, message, kind) from None
    except http.client.InvalidURL as err:
        raise RemoteUnreachable(_one_line(err)) from None
    except http.client.HTTPException as err:  # a bad status line, a cut-off body
        detail = _one_line(f"{type(err).__name__}: {err}")
        raise RemoteNotChroma(f"the answer was not well-formed HTTP ({detail})") from None
    except (OSError, ValueError) as err:  # refused, reset, timed out, unknown host, bad URL
        reason = getattr(err, "reason", None) or err  # urllib wraps the socket's error
        if isinstance(reason, TimeoutError):
            raise RemoteUnreachable(f"no answer within {timeout:.0f} s", timed_out=True) from None
        raise RemoteUnreachable(_one_line(reason) or type(err).__name__) from None
    try:
        return json.loads(raw)
    except ValueError:
        raise RemoteNotChroma("the answer was not JSON") from None


def _error_of(err: urllib.error.HTTPError) -> tuple[str, str]:
    """Chroma's error type and message (``{"error": ..., "message": ...}``); else no type
    and the HTTP status."""
    try:
        body = json.loads(err.read() or b"{}")
    except (OSError, ValueError, http.client.HTTPException):
        body = {}
    if not isinstance(body, dict):
        body = {}
    kind = _one_line(body.get("error") or "")
    return kind, _one_line(body.get("message") or kind or f"HTTP {err.code} {err.reason}")


class RemoteCollection:
    """One collection on a Chroma server: ``id``, ``metadata``, ``count``, ``get``, ``query``."""

    def __init__(self, base: str, payload: dict[str, Any]) -> None:
        self.id = str(payload["id"])
        self.metadata: dict[str, Any] = dict(payload.get("metadata") or {})
        self._url = f"{base}{API}/{quote(self.id, safe='')}"

    @classmethod
    def open(cls, chroma_url: str, name: str) -> RemoteCollection | None:
        """The collection called ``name``, or None when the server has none by that name."""
        base = base_url(chroma_url)
        try:
            payload = _call(f"{base}{API}/{quote(name, safe='')}", timeout=LOOKUP_TIMEOUT)
        except RemoteFailed as err:
            if err.status == 404 and err.kind == "NotFoundError":
                return None  # Chroma's answer for a name it does not hold
            if err.status == 404:  # no such route: not Chroma's v2 API (Chroma < 1.0)
                raise RemoteNotChroma(f"{err}; Chroma 1.0 or later is needed") from None
            raise
        if not isinstance(payload, dict) or "id" not in payload:
            raise RemoteNotChroma("the answer was not a collection")
        return cls(base, payload)

    def count(self) -> int:
        """How many chunks the collection holds."""
        got = _call(f"{self._url}/count", timeout=LOOKUP_TIMEOUT)
        if not isinstance(got, int):
            raise RemoteNotChroma("the count was not a number")
        return got

    def get(
        self,
        ids: Sequence[str] | None = None,
        include: Sequence[str] = ("metadatas", "documents"),
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict[str, Any]:
        """Chunks by id, or a page of them: ``ids`` plus each ``include``d field."""
        body = {
            "ids": None if ids is None else list(ids),
            "limit": limit,
            "offset": offset,
            "include": list(include),
        }
        return _result(_call(f"{self._url}/get", body))

    def query(
        self,
        query_embeddings: Any,
        n_results: int = 10,
        where: dict[str, Any] | None = None,
        include: Sequence[str] = ("distances",),
    ) -> dict[str, Any]:
        """The ``n_results`` nearest chunks to each query vector (lists per query)."""
        vectors = [[float(x) for x in row] for row in query_embeddings]
        body = {
            "query_embeddings": vectors,
            "n_results": n_results,
            "where": where or None,
            "include": list(include),
        }
        return _result(_call(f"{self._url}/query", body))


def _result(got: Any) -> dict[str, Any]:
    """A ``get``/``query`` answer, checked for the one key every answer has."""
    if not isinstance(got, dict) or not isinstance(got.get("ids"), list):
        raise RemoteNotChroma("the answer had no ids")
    return got
