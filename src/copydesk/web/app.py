"""The web desk: ``create_app`` builds the ASGI app over a store, ``serve`` runs it.

Why Starlette and not FastAPI: the desk needs routing, a request and a response, a
test client, static files and an exception handler, and Starlette is exactly that,
small and typed. FastAPI adds pydantic models and dependency injection around it, which
would duplicate the frozen dataclasses of :mod:`copydesk.models` and split a view into
a JSON endpoint plus a page endpoint; here one plain view function serves a page and
its JSON twin from the same data (as Datasette does). The OpenAPI document still comes
from the views: :class:`starlette.schemas.SchemaGenerator` reads the YAML after ``---``
in each view's docstring, and :mod:`copydesk.web.openapi` holds the JSON shapes;
``/openapi.json`` serves both.

Routes (each page also at ``PATH.json``, ``/.json`` for the front page)::

    /                          front page: stories by independent groups and recency
    /stories/ID                a story (a merged id redirects to the live story)
    /stories/ID/claims         all of a story's claims, a page at a time
    /articles/ID               an article with its findings, audit and versions
    /outlets, /outlets/NAME    outlets, and what copydesk measures about one
    /search?q=                 full-text search with facets
    /add                       paste or upload articles (POST needs the token)
    /openapi.json, /static/…   the API description, the vendored CSS and JS

Threads: Starlette runs these plain views in a thread pool, and a SQLite connection
belongs to the thread that opened it, so each worker thread has its own
:class:`~copydesk.desk.Desk` on the same store (WAL lets them read beside a writer).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.schemas import SchemaGenerator
from starlette.staticfiles import StaticFiles

from copydesk.desk import Desk
from copydesk.errors import CopydeskError
from copydesk.ingest import DEFAULT_MAX_BYTES
from copydesk.web import add, openapi, security, views
from copydesk.web.http import JSON_FLAG, SecurityHeaders, handle

STATIC = Path(__file__).resolve().parent / "static"
View = Callable[[Request], Response] | Callable[[Request], Awaitable[Response]]


class DeskPool:
    """One :class:`Desk` per thread over one store, opened on the thread's first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> Desk:
        found: Desk | None = getattr(self._local, "desk", None)
        if found is None:
            found = Desk(self.path)
            self._local.desk = found
        return found

    def close(self) -> None:
        found: Desk | None = getattr(self._local, "desk", None)
        if found is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):
                found.close()
            self._local.desk = None


def _as_json(view: View) -> View:
    """The JSON twin of ``view``: the same function, told to answer in JSON."""
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def twin_async(request: Request) -> Response:
            request.scope[JSON_FLAG] = True
            result = await view(request)
            assert isinstance(result, Response)
            return result

        return twin_async

    @functools.wraps(view)
    def twin(request: Request) -> Response:
        request.scope[JSON_FLAG] = True
        result = view(request)
        assert isinstance(result, Response)
        return result

    return twin


def twin(path: str, view: View, methods: list[str] | None = None) -> list[BaseRoute]:
    """A page and its JSON twin at ``path + ".json"`` (``/.json`` for ``/``); the twin
    comes first so that a ``{param:path}`` route does not swallow the suffix."""
    json_path = "/.json" if path == "/" else path + ".json"
    return [
        Route(json_path, _as_json(view), methods=methods or ["GET"]),
        Route(path, view, methods=methods or ["GET"]),
    ]


def routes() -> list[BaseRoute]:
    return [
        *twin("/", views.front),
        *twin("/stories/{story_id}/claims", views.claims),
        *twin("/stories/{story_id}", views.story),
        *twin("/articles/{article_id:path}", views.article),
        *twin("/outlets", views.outlets),
        *twin("/outlets/{name:path}", views.outlet),
        *twin("/search", views.search),
        *twin("/add", add.add_form),
        Route("/add.json", _as_json(add.add), methods=["POST"]),
        Route("/add", add.add, methods=["POST"]),
        Route("/openapi.json", views.openapi, methods=["GET"], include_in_schema=False),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(
    db_path: str | Path, *, token: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Starlette:
    """The web desk over the store at ``db_path`` (created if missing).

    ``token`` is what a write must present; None reads ``<db>.token`` when it exists,
    and without one every write is refused (403). ``max_bytes`` bounds a request body
    and each uploaded file (413 beyond).
    """
    path = Path(db_path)
    Desk(path).close()  # fail now, not at the first request, if it is not a store
    pool = DeskPool(path)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    handlers: dict[Any, Any] = {HTTPException: handle, CopydeskError: handle}
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.token = token if token is not None else security.read_token(path)
    app.state.max_bytes = max_bytes
    app.state.schemas = SchemaGenerator(openapi.BASE)
    return app


# How ``serve`` hands the store and token to worker processes it does not start itself.
ENV_DB, ENV_TOKEN = "COPYDESK_SERVE_DB", "COPYDESK_SERVE_TOKEN"
# Browsers and proxies keep idle connections open for a minute or more; closing them
# after uvicorn's default 5 s races the client's next request on that connection,
# which then fails as a dropped read.
KEEP_ALIVE_S = 75


def app_from_environment() -> Starlette:
    """The app for one of ``serve``'s worker processes (uvicorn's factory)."""
    return create_app(os.environ[ENV_DB], token=os.environ[ENV_TOKEN])


def serve(
    db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, *, workers: int = 1
) -> None:
    """Serve the store at ``db_path`` on ``host:port`` (127.0.0.1: this machine only).

    The write token is created on first run in ``<db>.token`` (mode 0600) and printed,
    so that whoever started the server can add articles. ``workers`` above 1 runs that
    many server processes on the one port (SQLite's WAL lets them all read while one
    writes); each keeps its own page cache.
    """
    import uvicorn

    token, created = security.ensure_token(db_path)
    app = create_app(db_path, token=token)
    where = security.token_path(db_path)
    state = "created" if created else "kept"
    print(f"copydesk: serving {db_path} at http://{host}:{port}/", flush=True)
    print(f"copydesk: write token ({state} in {where}): {token}", flush=True)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "timeout_keep_alive": KEEP_ALIVE_S,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ[ENV_DB], os.environ[ENV_TOKEN] = str(Path(db_path).resolve()), token
    uvicorn.run("copydesk.web.app:app_from_environment", factory=True, workers=workers, **options)
