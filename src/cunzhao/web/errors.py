"""Clear 4xx answers (HTML page or JSON ``{"error": …}``) and the headers every response carries.

No traceback ever reaches the client: unexpected errors are logged to the console and
answered with a plain 500 page. That answer comes from Starlette's outermost error middleware,
outside ``GuardMiddleware``, so its handler adds the security headers itself (``secure``).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cunzhao.web.i18n import message as localized
from cunzhao.web.i18n import request_lang
from cunzhao.web.render import render

log = logging.getLogger("cunzhao.web")

MAX_QUERY_STRING = 4096
"""Longest query string accepted (bytes, percent-encoded); longer gets 414."""

APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'"
)
_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"content-security-policy", APP_CSP.encode()),
)


def secure(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` (raw, lower-case names) plus each security header they do not set; a
    route's own ``content-security-policy`` (the framed original's) is kept."""
    present = {name.lower() for name, _ in headers}
    return headers + [(name, value) for name, value in _HEADERS if name not in present]


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(
    request: Request, status: int, message: str, details: list[dict[str, str]] | None = None
) -> Response:
    if wants_json(request):
        body: dict[str, object] = {"status": status, "message": message}
        if details:
            body["details"] = details
        return JSONResponse({"error": body}, status_code=status)
    lang = request_lang(request)  # the page in the reader's language, the API's in English
    shown = [dict(d, problem=localized(d["problem"], lang, "invalid_value")) for d in details or []]
    return render(request, "error.html", status, status=status,
                  message=localized(message, lang, f"status_{status}"), details=shown)


def install_error_handlers(app: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, str(exc.detail))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [
            {
                "parameter": ".".join(str(p) for p in err.get("loc", ())[1:]) or "request",
                "problem": str(err.get("msg", "invalid")),
            }
            for err in exc.errors()
        ]
        names = ", ".join(d["parameter"] for d in details)
        return error_response(request, 422, f"invalid parameter: {names}", details)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        message = "internal error (logged on the server console)"
        try:
            response = error_response(request, 500, message)
        except Exception:  # the error page itself failed: say it in plain text
            log.exception("error rendering the error page for %s", request.url.path)
            response = PlainTextResponse(message, status_code=500)
        response.raw_headers = secure(response.raw_headers)
        return response

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


class GuardMiddleware:
    """Refuse oversized query strings (414) and add security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            scope = dict(scope, query_string=b"")
            response = error_response(
                Request(scope), 414, f"query string longer than {MAX_QUERY_STRING} bytes"
            )
            await response(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message, headers=secure(list(message.get("headers", []))))
            await send(message)

        return wrapped
