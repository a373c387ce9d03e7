"""The add view: paste text or HTML, upload files, or send a raw body; see
:mod:`copydesk.web.security` for the token, CSRF and size rules it applies.

Inputs go to :meth:`copydesk.desk.Desk.add_upload`, which reads them as the CLI reads
files (same formats, same failures); the result names the story each article went into.
"""

from __future__ import annotations

import json
import os
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from copydesk.models import AddReport
from copydesk.web import security
from copydesk.web.http import render
from copydesk.web.urls import article_url, story_url
from copydesk.web.views import desk


def _csrf_page(request: Request, data: dict[str, Any], status: int = 200) -> Response:
    token = request.cookies.get(security.CSRF_COOKIE) or security.new_csrf()
    data = {**data, "max_bytes": request.app.state.max_bytes}
    response = render(request, "add.html", data, page={"csrf": token}, status=status)
    if request.cookies.get(security.CSRF_COOKIE) != token:
        response.set_cookie(security.CSRF_COOKIE, token, path="/", httponly=True, samesite="strict")
    response.headers["cache-control"] = "no-store"
    return response


def add_form(request: Request) -> Response:
    """The add form: paste text or HTML, or upload files; its JSON twin gives the upload
    limit. Sending it (POST) needs the token."""
    return _csrf_page(request, {"added": [], "errors": [], "merged": [], "done": False})


def _pasted(form: Any) -> tuple[str, bytes] | None:
    text = str(form.get("text") or "")
    if not text.strip():
        return None
    kind = str(form.get("kind") or "auto")
    if kind == "auto":
        kind = "html" if text.lstrip().startswith("<") else "text"
    if kind not in ("text", "html"):
        raise HTTPException(400, "parameter 'kind' must be auto, text or html")
    doc: dict[str, str] = {kind: text}
    for field in ("title", "outlet", "url", "published"):
        value = str(form.get(field) or "").strip()
        if value:
            doc[field] = value
    return "pasted.json", json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _upload_name(upload: UploadFile) -> str:
    name = os.path.basename((upload.filename or "").replace("\\", "/")).strip()
    return name or "upload"


def _merge(reports: list[AddReport]) -> AddReport:
    return AddReport(
        tuple(a for r in reports for a in r.added),
        tuple(e for r in reports for e in r.errors),
        tuple(m for r in reports for m in r.merged),
    )


async def add(request: Request) -> Response:
    """Add articles: pasted text or HTML, uploaded files (the CLI's formats), or a raw
    body read as a file called ``name``. Needs the token (form field ``token`` with the
    form's CSRF field, or ``Authorization: Bearer``); one bad input is reported in
    ``errors`` and the others are still added.
    ---
    summary: Add articles (JSON twin /add.json)
    requestBody:
      content:
        multipart/form-data:
          schema:
            type: object
            properties:
              token: {type: string}
              csrf: {type: string}
              text: {type: string, description: "pasted text or HTML"}
              kind: {type: string, enum: [auto, text, html]}
              title: {type: string}
              outlet: {type: string}
              url: {type: string}
              published: {type: string, format: date}
              files: {type: array, items: {type: string, format: binary}}
        application/octet-stream:
          schema: {type: string, format: binary, description: "one file; its name in ?name="}
    responses:
      200:
        description: "What each input became"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Added"}}
      400: {$ref: "#/components/responses/Error"}
      403: {$ref: "#/components/responses/Error"}
      413: {$ref: "#/components/responses/Error"}
    """
    state = request.app.state
    limit: int = state.max_bytes
    header_token = security.bearer(request)
    if header_token is not None:
        security.require_token(state.token, header_token)
    elif state.token is None:
        security.require_token(None, None)
    body = security.limited(request, limit + security.FORM_OVERHEAD)
    inputs: list[tuple[str, bytes]] = []
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        async with body.form(max_files=100, max_fields=50, max_part_size=limit) as form:
            if header_token is None:
                security.require_token(state.token, str(form.get(security.TOKEN_FIELD) or ""))
                security.require_csrf(request, str(form.get(security.CSRF_FIELD) or ""))
            pasted = _pasted(form)
            if pasted:
                inputs.append(pasted)
            for item in form.getlist("files"):
                if isinstance(item, UploadFile) and (item.filename or item.size):
                    data = await item.read()
                    if len(data) > limit:
                        raise security.too_large(limit)
                    inputs.append((_upload_name(item), data))
    else:
        if header_token is None:
            raise HTTPException(403, "a raw upload needs the header Authorization: Bearer TOKEN")
        data = b"".join([chunk async for chunk in body.stream()])
        name = os.path.basename(request.query_params.get("name", "")) or "upload.txt"
        inputs.append((name, data))
    if not inputs:
        raise HTTPException(400, "nothing to add: paste a text or choose a file")

    def run() -> AddReport:  # in a worker thread, with that thread's desk
        the_desk = desk(request)
        return _merge([the_desk.add_upload(n, d, max_bytes=limit) for n, d in inputs])

    report = await run_in_threadpool(run)
    return _csrf_page(request, await run_in_threadpool(_added_data, request, report))


def _added_data(request: Request, report: AddReport) -> dict[str, Any]:
    the_desk = desk(request)
    titles: dict[str, str | None] = {}
    for a in report.added:
        if a.story and a.story not in titles:
            titles[a.story] = the_desk.story(a.story).title
    return {
        "done": True,
        "added": [
            {
                "article": a.article,
                "source": a.source,
                "outcome": a.outcome,
                "story": a.story,
                "story_title": titles.get(a.story or ""),
                "href": article_url(a.article),
                "story_href": story_url(a.story) if a.story else None,
            }
            for a in report.added
        ],
        "errors": [{"source": e.source, "message": e.message} for e in report.errors],
        "merged": [{"into": into, "story": gone} for into, gone in report.merged],
    }
