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

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlparse

API = "/api/v2/tenants/default_tenant/databases/default_database/collections"
TIMEOUT = 120.0  # seconds; a 5,000-chunk page of a large collection is the slowest call


class RemoteUnreachable(Exception):
    """The server did not answer (refused, timed out, or not a Chroma server)."""


class RemoteFailed(Exception):
    """The server answered with an error."""

    def __init__(self, status: int, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind  # Chroma's error type ("NotFoundError"), empty if it gave none


def base_url(chroma_url: str) -> str:
    """Scheme, host and port of ``chroma_url``, as chromadb's HttpClient reads them."""
    url = urlparse(chroma_url)
    port = url.port or (443 if url.scheme == "https" else 8000)
    host = url.hostname or "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{'https' if url.scheme == 'https' else 'http'}://{host}:{port}"


def _call(url: str, body: dict[str, Any] | None = None) -> Any:
    """One request (GET, or POST with a JSON body); the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        kind, message = _error_of(err)
        raise RemoteFailed(err.code, message, kind) from None
    except (OSError, ValueError) as err:  # refused, reset, timed out, bad URL
        reason = getattr(err, "reason", None) or err
        raise RemoteUnreachable(str(reason) or type(err).__name__) from None
    try:
        return json.loads(raw)
    except ValueError:
        raise RemoteUnreachable("the answer was not JSON: is it a Chroma server?") from None


def _error_of(err: urllib.error.HTTPError) -> tuple[str, str]:
    """Chroma's error type and message (``{"error": ..., "message": ...}``); else no type
    and the HTTP status."""
    try:
        body = json.loads(err.read() or b"{}")
    except (OSError, ValueError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    kind = str(body.get("error") or "")
    return kind, str(body.get("message") or kind or f"HTTP {err.code} {err.reason}")


class RemoteCollection:
    """One collection on a Chroma server: ``id``, ``metadata``, ``count``, ``get``, ``query``."""

    def __init__(self, base: str, name: str, payload: dict[str, Any]) -> None:
        self.name = name
        self.id = str(payload["id"])
        self.metadata: dict[str, Any] = dict(payload.get("metadata") or {})
        self._url = f"{base}{API}/{quote(self.id, safe='')}"

    @classmethod
    def open(cls, chroma_url: str, name: str) -> RemoteCollection | None:
        """The collection called ``name``, or None when the server has none by that name."""
        base = base_url(chroma_url)
        try:
            payload = _call(f"{base}{API}/{quote(name, safe='')}")
        except RemoteFailed as err:
            if err.status == 404 and err.kind == "NotFoundError":
                return None  # Chroma's answer for a name it does not hold
            if err.status == 404:  # no such route: not a Chroma server with the v2 API
                raise RemoteUnreachable(
                    f"{err}: is it a Chroma server, version 1.0 or later?"
                ) from None
            raise
        if not isinstance(payload, dict) or "id" not in payload:
            raise RemoteUnreachable("the answer was not a collection: is it a Chroma server?")
        return cls(base, name, payload)

    def count(self) -> int:
        """How many chunks the collection holds."""
        return int(_call(f"{self._url}/count"))

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
        return dict(_call(f"{self._url}/get", body))

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
        return dict(_call(f"{self._url}/query", body))
