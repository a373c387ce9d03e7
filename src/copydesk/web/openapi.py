"""The OpenAPI document's fixed part: the JSON shapes the views' docstrings refer to.

``/openapi.json`` is this plus the paths that :class:`starlette.schemas.SchemaGenerator`
reads from each view's docstring. The shapes list the fields a client may rely on;
pages may carry more.
"""

from __future__ import annotations

from typing import Any

from copydesk import __version__


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


_STR = {"type": "string"}
_NSTR = {"type": "string", "nullable": True}
_INT = {"type": "integer"}
_NINT = {"type": "integer", "nullable": True}
_REF = _obj(["id", "name", "href"], id=_STR, name=_STR, href=_STR)
_LIST = {"type": "array", "items": {"type": "object"}}
_FIGURE = _obj(
    ["count", "total", "share", "articles"],
    count=_INT,
    total=_INT,
    share={"type": "number"},
    articles=_LIST,
)

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        ["error"],
        error=_obj(["status", "message"], status=_INT, message=_STR),
    ),
    "Front": _obj(
        ["stories", "next", "filters"],
        stories={
            "type": "array",
            "items": _obj(
                ["id", "title", "articles", "groups", "discrepancies", "outlets", "badges"],
                id=_STR,
                title=_NSTR,
                url=_STR,
                articles=_INT,
                groups=_NINT,
                discrepancies=_NINT,
                outlets=_LIST,
                first_published=_NSTR,
                last_published=_NSTR,
                last_added=_STR,
                new_articles=_INT,
                score={"type": "number"},
                badges=_LIST,
            ),
        },
        next=_NSTR,
        next_url=_NSTR,
        filters={"type": "object"},
        visited=_NSTR,
        outlets=_LIST,
    ),
    "Story": _obj(
        [
            "story",
            "brief",
            "discrepancies",
            "groups",
            "copies",
            "copy_sets",
            "timeline",
            "claims",
            "articles",
        ],
        story=_obj(["id", "title", "articles", "groups"], id=_STR, title=_NSTR),
        brief=_obj(
            ["corroborated", "one_source", "disputed"],
            corroborated=_LIST,
            one_source=_LIST,
            disputed=_LIST,
        ),
        discrepancies={
            "type": "array",
            "items": _obj(
                ["id", "kind", "subject", "line", "sides"],
                id=_STR,
                kind=_STR,
                claim=_NSTR,
                subject=_STR,
                line={"type": "string", "description": "injured: 14 (A, B) vs 17 (C)"},
                sides=_LIST,
                context=_LIST,
            ),
        },
        groups=_LIST,
        copies=_LIST,
        copy_sets=_obj(
            ["summary", "sets"],
            summary={**_NSTR, "description": "One article copied 200 times."},
            sets=_LIST,
        ),
        timeline=_LIST,
        claims={"type": "object", "nullable": True},
        framing=_LIST,
        articles={"type": "array", "items": _REF},
    ),
    "Claims": _obj(
        ["story", "columns", "total", "claims", "next"],
        story={"type": "object"},
        columns=_LIST,
        total=_INT,
        claims=_LIST,
        next=_NSTR,
        next_url=_NSTR,
    ),
    "Article": _obj(
        ["article", "story", "highlights", "reuse", "claims", "discrepancies", "versions"],
        article=_obj(
            ["id", "text", "sentences", "dropped"],
            id=_STR,
            name=_NSTR,
            title=_NSTR,
            outlet=_NSTR,
            text=_STR,
            sentences=_LIST,
            dropped=_LIST,
        ),
        story={"type": "object", "nullable": True},
        highlights=_LIST,
        reuse=_LIST,
        claims=_LIST,
        discrepancies=_LIST,
        versions=_LIST,
    ),
    "Outlets": _obj(["outlets"], outlets=_LIST),
    "Outlet": _obj(
        ["outlet", "articles", "first", "reused", "reused_from", "attributed", "framing"],
        outlet=_STR,
        articles=_LIST,
        stories=_LIST,
        first=_FIGURE,
        reused=_FIGURE,
        reused_from=_LIST,
        attributed=_FIGURE,
        framing=_LIST,
    ),
    "Search": _obj(
        ["query", "hits", "total", "outlets", "stories", "days", "next"],
        query=_STR,
        hits=_LIST,
        total=_INT,
        outlets=_LIST,
        stories=_LIST,
        days=_LIST,
        next=_NSTR,
        next_url=_NSTR,
    ),
    "Added": _obj(["added", "errors", "merged"], added=_LIST, errors=_LIST, merged=_LIST),
}

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "copydesk web desk",
        "version": __version__,
        "description": (
            "Every page has a JSON twin: add .json to its path (/.json for the front "
            "page) or send Accept: application/json. Lists are paged by keyset: pass a "
            'page\'s next value as ?after=. Errors are {"error": {"status", "message"}}.'
        ),
    },
    "components": {
        "schemas": SCHEMAS,
        "responses": {
            "Error": {
                "description": "An error, in the one shape every error has",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
    },
}
