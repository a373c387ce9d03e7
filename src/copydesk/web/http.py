"""One view, two formats; one error handler, one error shape; headers on everything.

A view builds its data once (plain JSON values) and calls :func:`render`: the
``.json`` twin of a page, or a request that asks for ``application/json`` before
``text/html``, gets the data as JSON; anything else gets the template, which only
formats that data. Errors, whatever raised them (a view, the router's 404 and 405,
an unknown story in the library, a crash), go through :func:`error_response` and come
back as ``{"error": {"status": int, "message": str}}``, or as a page that shows the
same two values.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from copydesk.desk import UnknownArticle, UnknownOutlet
from copydesk.errors import CopydeskError, InputError
from copydesk.report.html import CELL_MARKS
from copydesk.store.overview import BadCursor
from copydesk.store.search import BadQuery
from copydesk.store.stories import UnknownStory
from copydesk.web import urls
from copydesk.web.security import SECURITY_HEADERS

log = logging.getLogger("copydesk.web")
JSON_FLAG = "copydesk.json"
STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (UnknownStory, 404),
    (UnknownArticle, 404),
    (UnknownOutlet, 404),
    (BadQuery, 400),
    (BadCursor, 400),
    (InputError, 400),
)


def wants_json(request: Request) -> bool:
    """The ``.json`` twin, or ``Accept`` naming JSON before (or without) HTML."""
    if request.scope.get(JSON_FLAG) or request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "").lower()
    at_json, at_html = accept.find("application/json"), accept.find("text/html")
    return at_json >= 0 and (at_html < 0 or at_json < at_html)


def json_twin(request: Request) -> str:
    """The URL of this page's JSON twin."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) and raw else request.url.path
    if not path.endswith(".json"):
        path = "/.json" if path == "/" else path.rstrip("/") + ".json"
    query = request.url.query
    return path + (f"?{query}" if query else "")


def snippet_markup(snippet: str) -> Markup:
    """A search snippet whose matches the store marked ``[`` ``]``: the text escaped
    first, then the marks made ``<mark>``; the result is always balanced."""
    out: list[str] = []
    open_ = False
    for ch in snippet:
        if ch == "[" and not open_:
            out.append("<mark>")
            open_ = True
        elif ch == "]" and open_:
            out.append("</mark>")
            open_ = False
        else:
            out.append(str(escape(ch)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))  # only our own <mark> tags, around escaped text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("copydesk.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        story_url=urls.story_url,
        article_url=urls.article_url,
        outlet_url=urls.outlet_url,
        claims_url=urls.claims_url,
        with_query=urls.with_query,
        snippet=snippet_markup,
        marks=CELL_MARKS,
    )
    env.filters["pct"] = lambda x: f"{float(x):.0%}"
    return env


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    page: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """``data`` as JSON or through ``template``; ``page`` holds what only the HTML needs
    (a graph's coordinates), never anything the JSON lacks in substance."""
    if wants_json(request):
        response: Response = JSONResponse(data, status_code=status)
    else:
        html = (
            environment()
            .get_template(template)
            .render(d=data, p=page or {}, json_url=json_twin(request), path=request.url.path)
        )
        response = HTMLResponse(html, status_code=status)
    response.headers["vary"] = "Accept"
    return response


def replay(request: Request, body: bytes, status: int = 200) -> Response:
    """A page rendered earlier by :func:`render` for the same URL and format, sent
    again as it was (the caller keyed the cache on everything the bytes depend on)."""
    if wants_json(request):
        response: Response = Response(body, status_code=status, media_type="application/json")
    else:
        response = HTMLResponse(body, status_code=status)
    response.headers["vary"] = "Accept"
    return response


def status_of(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, HTTPException):
        return exc.status_code, str(exc.detail)
    for kind, status in STATUS_OF:
        if isinstance(exc, kind):
            return status, str(exc)
    if isinstance(exc, CopydeskError):
        return 500, str(exc)
    return 500, "internal error: the server log has the details"


def error_response(request: Request, exc: Exception) -> Response:
    """The one error handler: every error status and message, JSON or page alike."""
    status, message = status_of(exc)
    if status >= 500:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    data = {"error": {"status": status, "message": message}}
    if wants_json(request) or request.method not in ("GET", "HEAD", "POST"):
        response: Response = JSONResponse(data, status_code=status)
    else:
        html = environment().get_template("error.html").render(d=data, p={}, json_url="", path="")
        response = HTMLResponse(html, status_code=status)
    headers = getattr(exc, "headers", None)
    if isinstance(exc, HTTPException) and headers:
        response.headers.update(headers)
    return response


async def handle(request: Request, exc: Exception) -> Response:
    return error_response(request, exc)


class SecurityHeaders:
    """Adds the security headers to every response, and turns an exception that
    escaped every handler into the pinned error shape (status 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise
            response = error_response(Request(scope), exc)
            await response(scope, receive, send_with_headers)
