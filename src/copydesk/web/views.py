"""The views: each reads its parameters, calls one or two :class:`~copydesk.desk.Desk`
methods, shapes the result as plain data and renders it (page or JSON twin).

The docstrings after ``---`` are the OpenAPI description of each route, served at
``/openapi.json``; the response shapes they name are in :mod:`copydesk.web.openapi`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from copydesk.desk import Desk
from copydesk.models import FrontRow
from copydesk.store.stories import UnknownStory
from copydesk.web.article_page import article_data
from copydesk.web.cache import Recent
from copydesk.web.graph import provenance_graph
from copydesk.web.http import json_twin, render, replay, snippet_markup, wants_json
from copydesk.web.story_page import (
    BadClaimsCursor,
    StoryContext,
    claims_page,
    story_data,
)
from copydesk.web.urls import article_url, outlet_url, story_url, with_query

VISIT_COOKIE = "copydesk_visit"
SEEN_COOKIE = "copydesk_seen"
# A reader's visit ends after this long without a front-page view: the next view
# starts a new visit, whose badges count what arrived since the last one ended.
VISIT_GAP = dt.timedelta(minutes=30)
PERIODS = {"1": 1, "7": 7, "30": 30, "all": None, "": None}
TRUE, FALSE = {"1", "true", "on", "yes"}, {"", "0", "false", "off", "no"}


def desk(request: Request) -> Desk:
    pool = request.app.state.pool
    found: Desk = pool.get()
    return found


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "").lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise HTTPException(400, f"parameter '{name}' must be 1 or 0, not {value!r}")


def _limit(request: Request, default: int, most: int) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise HTTPException(400, f"parameter 'limit' must be a whole number from 1 to {most}")
    return int(raw)


def _day(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise HTTPException(400, f"parameter '{name}' must be a date, YYYY-MM-DD") from None


def _moment(raw: str | None) -> dt.datetime | None:
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cookie(response: Response, name: str, value: str, *, max_age: int = 365 * 86400) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="strict", secure=False
    )


# -- front -----------------------------------------------------------------------


def _row(row: FrontRow) -> dict[str, Any]:
    badges = []
    if row.new_articles:
        badges.append({"kind": "new", "label": f"{row.new_articles} new since your last visit"})
    if row.discrepancies:
        n = row.discrepancies
        badges.append(
            {"kind": "disputed", "label": f"{n} open discrepanc{'y' if n == 1 else 'ies'}"}
        )
    if row.groups == 1:
        badges.append({"kind": "single", "label": "single source"})
    if row.groups is None:
        badges.append({"kind": "pending", "label": "not analysed yet"})
    return {
        "id": row.id,
        "title": row.title,
        "url": story_url(row.id),
        "articles": row.articles,
        "groups": row.groups,
        "discrepancies": row.discrepancies,
        "outlets": [{"name": o, "href": outlet_url(o)} for o in row.outlets],
        "first_published": row.first_published,
        "last_published": row.last_published,
        "last_added": row.last_added,
        "new_articles": row.new_articles,
        "score": round(row.score, 4),
        "badges": badges,
    }


def front(request: Request) -> Response:
    """The front page: live stories ranked by independent groups and recency.
    ---
    summary: Front page (JSON twin /.json)
    parameters:
      - {name: period, in: query, schema: {type: string, enum: ["1", "7", "30", "all"]},
         description: "days back (by the last article added); all by default"}
      - {name: outlet, in: query, schema: {type: string},
         description: "only stories with this outlet"}
      - {name: discrepancies, in: query, schema: {type: string, enum: ["0", "1"]},
         description: "1: only stories with open discrepancies"}
      - {name: single, in: query, schema: {type: string, enum: ["0", "1"]},
         description: "1: only single-source stories"}
      - {name: after, in: query, schema: {type: string},
         description: "keyset cursor: the previous page's next"}
      - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 30}}
    responses:
      200:
        description: "A page of stories"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Front"}}
      400: {$ref: "#/components/responses/Error"}
    """
    q = request.query_params
    period = q.get("period", "")
    if period not in PERIODS:
        raise HTTPException(400, "parameter 'period' must be 1, 7, 30 or all")
    outlet = q.get("outlet") or None
    has_discrepancies = _flag(request, "discrepancies")
    single = _flag(request, "single")
    limit = _limit(request, 30, 100)
    now = dt.datetime.now(dt.UTC)
    seen = _moment(request.cookies.get(SEEN_COOKIE))
    visited = _moment(request.cookies.get(VISIT_COOKIE))
    if seen is not None and now - seen > VISIT_GAP:
        visited = seen
    the_desk = desk(request)
    page = the_desk.front(
        period_days=PERIODS[period],
        outlet=outlet,
        has_discrepancies=has_discrepancies,
        single_source=single,
        visited=visited.isoformat(timespec="milliseconds") if visited else None,
        after=q.get("after") or None,
        limit=limit,
    )
    filters = {
        "period": period or "all",
        "outlet": outlet,
        "discrepancies": has_discrepancies,
        "single": single,
    }
    query = {
        "period": period or None,
        "outlet": outlet,
        "discrepancies": "1" if has_discrepancies else None,
        "single": "1" if single else None,
    }
    data = {
        "stories": [_row(r) for r in page.rows],
        "next": page.next,
        "next_url": with_query("/", {**query, "after": page.next}) if page.next else None,
        "filters": filters,
        "visited": visited.isoformat(timespec="milliseconds") if visited else None,
        "outlets": [{"name": n, "articles": c} for n, c in the_desk.outlets()],
        "counts": the_desk.count(),
    }
    response = render(request, "front.html", data)
    if visited is not None:
        _cookie(response, VISIT_COOKIE, visited.isoformat(timespec="milliseconds"))
    _cookie(response, SEEN_COOKIE, now.isoformat(timespec="milliseconds"))
    return response


# -- story -----------------------------------------------------------------------


def _context(request: Request, rest: str = "") -> StoryContext | Response:
    """The story's context, or a redirect (301) to the live story an old id merged into."""
    story_id = request.path_params["story_id"]
    the_desk = desk(request)
    record = the_desk.story(story_id)
    if record.id != story_id:
        url = story_url(record.id) + rest + (".json" if request.url.path.endswith(".json") else "")
        query = request.url.query
        return RedirectResponse(url + (f"?{query}" if query else ""), status_code=301)
    analysis = the_desk.analysis(record.id)
    return StoryContext.build(analysis, the_desk.articles(list(analysis.story.articles)))


def story(request: Request) -> Response:
    """A story: the brief as an account, discrepancies in one line each, who copied
    whom, a timeline, the claims by independent group, framing. A story merged into
    another redirects (301) to the live one.
    ---
    summary: Story page (JSON twin /stories/{story_id}.json)
    parameters:
      - {name: story_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: "The story"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Story"}}
      301: {description: "The id was merged into another story: its URL is in Location"}
      404: {$ref: "#/components/responses/Error"}
    """
    the_desk = desk(request)
    story_id = request.path_params["story_id"]
    version = the_desk.analysis_version(story_id)
    page_key = (story_id, version, wants_json(request), json_twin(request))
    body = _PAGE_CACHE.get(page_key) if version else None
    if body is not None:
        return replay(request, body)
    key = (story_id, version)
    cached = _STORY_CACHE.get(key) if version else None
    if cached is None:
        found = _context(request)
        if isinstance(found, Response):
            return found
        added = {}
        for aid in found.analysis.story.articles:
            versions = the_desk.versions(aid)
            if versions:
                added[aid] = versions[0].added
        graph = provenance_graph(
            found.analysis.story.articles, found.names, found.group_of, found.analysis.reuse
        )
        cached = (story_data(found, added), graph)
        fresh = bool(version) and the_desk.analysis_version(story_id) == version
        if fresh:
            _STORY_CACHE.put(key, cached)
    else:
        fresh = True  # data kept under this very stamp
    data, graph = cached
    response = render(request, "story.html", data, page={"graph": graph})
    if fresh:
        _PAGE_CACHE.put(page_key, bytes(response.body))
    return response


# Story page data (shaped once per analysis stamp) and the rendered pages themselves.
_STORY_CACHE: Recent[tuple[dict[str, Any], Any]] = Recent(128)
_PAGE_CACHE: Recent[bytes] = Recent(256, max_bytes=64 * 2**20)


def claims(request: Request) -> Response:
    """Every claim of a story, corroborated first, a page at a time.
    ---
    summary: Claims of a story (JSON twin /stories/{story_id}/claims.json)
    parameters:
      - {name: story_id, in: path, required: true, schema: {type: string}}
      - {name: after, in: query, schema: {type: string},
         description: "keyset cursor: the previous page's next (a claim id)"}
      - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
    responses:
      200:
        description: "A page of claim rows"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Claims"}}
      400: {$ref: "#/components/responses/Error"}
      404: {$ref: "#/components/responses/Error"}
    """
    found = _context(request, "/claims")
    if isinstance(found, Response):
        return found
    limit = _limit(request, 50, 200)
    try:
        data = claims_page(found, request.query_params.get("after") or None, limit)
    except BadClaimsCursor as exc:
        raise HTTPException(400, str(exc)) from None
    return render(request, "claims.html", data)


# -- article ---------------------------------------------------------------------


def article(request: Request) -> Response:
    """An article: its clean text with reused passages, claims and discrepancies
    highlighted and linked, the cleaning audit, and its versions with a word diff.
    ---
    summary: Article page (JSON twin /articles/{article_id}.json)
    parameters:
      - {name: article_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: "The article"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Article"}}
      404: {$ref: "#/components/responses/Error"}
    """
    the_desk = desk(request)
    found = the_desk.article(request.path_params["article_id"])
    story_id = the_desk.story_of(found.id)
    ctx = None
    if story_id:
        analysis = the_desk.analysis(story_id)
        ctx = StoryContext.build(analysis, the_desk.articles(list(analysis.story.articles)))
    data, blocks = article_data(found, ctx, the_desk.versions(found.id))
    return render(request, "article.html", data, page={"blocks": blocks})


# -- outlets ---------------------------------------------------------------------


def outlets(request: Request) -> Response:
    """Every outlet in the store with its number of articles.
    ---
    summary: Outlets (JSON twin /outlets.json)
    responses:
      200:
        description: "Outlets"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Outlets"}}
    """
    data = {
        "outlets": [
            {"name": name, "articles": count, "href": outlet_url(name)}
            for name, count in desk(request).outlets()
        ]
    }
    return render(request, "outlets.html", data)


def _figure(count: int, total: int, ids: tuple[str, ...], refs: dict[str, Any]) -> dict[str, Any]:
    return {
        "count": count,
        "total": total,
        "share": round(count / total, 3) if total else 0.0,
        "articles": [refs[a] for a in ids if a in refs],
    }


def outlet(request: Request) -> Response:
    """What copydesk measures about one outlet: how often it is first with a fact, how
    much it reuses and from whom, whether it credits what it reuses, its framing terms.
    Every figure lists the articles behind it.
    ---
    summary: Outlet page (JSON twin /outlets/{name}.json)
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: "The outlet's profile"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Outlet"}}
      404: {$ref: "#/components/responses/Error"}
    """
    the_desk = desk(request)
    profile = the_desk.outlet_profile(request.path_params["name"])
    figures = [profile.first, profile.reused, profile.attributed]
    figures += [f for _, f in profile.reused_from] + [f for _, f in profile.framing]
    ids = list(dict.fromkeys([*profile.articles, *(a for f in figures for a in f.articles)]))
    refs = {}
    for a in the_desk.articles(ids):
        refs[a.id] = {
            "id": a.id,
            "title": a.title or a.id,
            "outlet": a.outlet,
            "published": a.published.isoformat() if a.published else None,
            "href": article_url(a.id),
        }

    known = {name for name, _ in the_desk.outlets()}

    def fig(f: Any) -> dict[str, Any]:
        return _figure(f.count, f.total, f.articles, refs)

    data = {
        "outlet": profile.outlet,
        "articles": [refs[a] for a in profile.articles if a in refs],
        "stories": [{"id": s, "href": story_url(s)} for s in profile.stories],
        "first": fig(profile.first),
        "reused": fig(profile.reused),
        "reused_from": [
            {"outlet": name, "href": outlet_url(name) if name in known else None, **fig(f)}
            for name, f in profile.reused_from
        ],
        "attributed": fig(profile.attributed),
        "framing": [{"term": term, **fig(f)} for term, f in profile.framing],
    }
    return render(request, "outlet.html", data)


# -- search ----------------------------------------------------------------------


def search(request: Request) -> Response:
    """Full-text search (FTS5, BM25) with facets by outlet, story and day. Snippets
    mark matches with [ and ] in the JSON; the page shows them highlighted.
    ---
    summary: Search (JSON twin /search.json)
    parameters:
      - {name: q, in: query, schema: {type: string}, description: "words, or FTS5 syntax"}
      - {name: outlet, in: query, schema: {type: string}}
      - {name: story, in: query, schema: {type: string}}
      - {name: since, in: query, schema: {type: string, format: date}}
      - {name: after, in: query, schema: {type: string},
         description: "keyset cursor: the previous page's next"}
      - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
    responses:
      200:
        description: "Hits and facets"
        content:
          application/json: {schema: {$ref: "#/components/schemas/Search"}}
      400: {$ref: "#/components/responses/Error"}
    """
    q = request.query_params
    query = q.get("q", "").strip()
    params = {
        "outlet": q.get("outlet") or None,
        "story": q.get("story") or None,
        "since": _day(request, "since"),
    }
    limit = _limit(request, 20, 100)
    data: dict[str, Any] = {"query": query, "filters": params, "hits": [], "total": 0}
    data.update(outlets=[], stories=[], days=[], next=None, next_url=None)
    if query:
        result = desk(request).search_page(
            query, after=q.get("after") or None, limit=limit, **params
        )
        the_desk = desk(request)
        story_titles = {}
        for story_id in {f.value for f in result.stories} | {
            h.story for h in result.hits if h.story
        }:
            story_titles[story_id] = _story_title(the_desk, story_id)
        data["hits"] = [
            {
                "article": h.article,
                "title": h.title,
                "outlet": h.outlet,
                "published": h.published,
                "story": h.story,
                "story_title": story_titles.get(h.story or ""),
                "snippet": h.snippet,
                "rank": h.rank,
                "href": article_url(h.article),
                "story_href": story_url(h.story) if h.story else None,
            }
            for h in result.hits
        ]
        base = {"q": query, **params}
        for key, facets, param in (
            ("outlets", result.outlets, "outlet"),
            ("stories", result.stories, "story"),
            ("days", result.days, "since"),
        ):
            data[key] = [
                {
                    "value": f.value,
                    "label": (story_titles.get(f.value) or f.label)
                    if key == "stories"
                    else f.label,
                    "count": f.count,
                    "href": with_query("/search", {**base, param: f.value}),
                    "active": params[param] == f.value,
                }
                for f in facets
            ]
        data["total"] = result.total
        data["next"] = result.next
        if result.next:
            data["next_url"] = with_query("/search", {**base, "after": result.next})
    page = {"snippets": [snippet_markup(h["snippet"]) for h in data["hits"]]}
    return render(request, "search.html", data, page=page)


def _story_title(the_desk: Desk, story_id: str) -> str | None:
    try:
        return the_desk.story(story_id).title
    except UnknownStory:
        return None


def openapi(request: Request) -> Response:
    """The OpenAPI description of these routes (from the views' docstrings)."""
    schema = request.app.state.schemas.get_schema(routes=request.app.routes)
    return JSONResponse(schema)
