"""How the browser answers what it cannot serve, in one place: every error is a 4xx/5xx with the
security headers of a normal page, JSON under /api and a readable page elsewhere; HEAD is answered
wherever GET is; 405 names the allowed methods; /openapi.json documents the 400 and 404 it answers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsarchive.web")

# the archive's own pages run no script at all and load nothing from elsewhere
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'self'")
SECURITY_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}
READ_ONLY = "GET, HEAD"  # what every route of this read-only app allows


class Error(BaseModel):
    detail: str


def install(app: FastAPI) -> None:
    """The handlers, the HEAD and header middleware, and the OpenAPI document that says what they answer."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(Exception, _server_error)  # outside every middleware: sets the headers itself
    app.add_middleware(Hardened)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    from worker.web import pages  # pages import this module's names

    if request.url.path.startswith("/api") or request.url.path in ("/openapi.json", "/healthz", "/metrics"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return pages.render(request, "error.html", status_code=status, status=status, message=message,
                        headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = {m.strip() for m in headers.get("Allow", READ_ONLY).split(",")}
        if "GET" in allowed:
            allowed.add("HEAD")  # Hardened answers HEAD as GET
        headers["Allow"] = ", ".join(sorted(allowed))
    return _error(request, exc.status_code, str(exc.detail), headers)


async def _bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return _error(request, 400, "; ".join(_problem(e) for e in exc.errors()))


def _problem(e: dict[str, Any]) -> str:
    where = ".".join(map(str, e["loc"][1:])) or str(e["loc"][0])
    if e.get("type") == "string_pattern_mismatch" and "\\x00" in str(e.get("ctx", {}).get("pattern", "")):
        return f"{where}: contains a NUL character"
    return f"{where}: {e['msg']}"


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    return PlainTextResponse("Internal Server Error: this is a bug, please report it", status_code=500,
                             headers=SECURITY_HEADERS)


class Hardened:
    """HEAD is answered as GET without its body, and every response carries the security headers
    (one a route set itself, such as a raw capture's sandbox CSP, is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.lower().encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body"):
                    return
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, hardened)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, told the truth: malformed input is a 400 (not 422) with {"detail"}, a path
    id that names nothing is a 404. Declared once here, so routes added later are documented alike."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in doc.get("paths", {}).values():
        for op in item.values():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            params = op.get("parameters", [])
            if params:
                responses.setdefault("400", {"description": "a malformed parameter", "content": error})
            if any(p.get("in") == "path" for p in params):
                responses.setdefault("404", {"description": "nothing in the archive has this id", "content": error})
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Error"] = Error.model_json_schema()
    app.openapi_schema = doc
    return doc
