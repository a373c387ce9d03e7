"""The web desk's guards: the write token, CSRF, the upload limit and the headers.

- **Token.** Anything that writes needs the token, sent as ``Authorization: Bearer
  TOKEN`` (scripts) or as the form field ``token`` (the add form). ``copydesk serve``
  creates it on first run in ``<db>.token`` beside the store (mode 0600) and prints it.
- **CSRF.** A form that sends the token also sends the hidden field ``csrf``, which must
  equal the ``copydesk_csrf`` cookie (random per browser session, ``SameSite=Strict``,
  ``HttpOnly``); both are compared in constant time. A request with a Bearer header
  needs no CSRF check: a browser never adds that header to a cross-site request.
- **Upload limit.** A request body is counted while it streams in and refused with 413
  once it passes the limit, before it is all read; a ``Content-Length`` that is already
  too large is refused without reading anything.
- **Headers.** Every response, errors and static files included, carries the
  Content-Security-Policy below, ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: no-referrer``. Pages have no inline script or style at all.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
CSRF_COOKIE = "copydesk_csrf"
CSRF_FIELD = "csrf"
TOKEN_FIELD = "token"
# Multipart framing around the files themselves: boundaries and part headers.
FORM_OVERHEAD = 64 * 1024


def token_path(db_path: str | Path) -> Path:
    """Where the token of the store at ``db_path`` is kept: ``<db>.token`` beside it."""
    path = Path(db_path)
    return path.with_name(path.name + ".token")


def read_token(db_path: str | Path) -> str | None:
    """The store's token, or None when none was created yet."""
    path = token_path(db_path)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


def ensure_token(db_path: str | Path) -> tuple[str, bool]:
    """The store's token, created (mode 0600) when there is none; whether it is new."""
    existing = read_token(db_path)
    if existing:
        return existing, False
    token = secrets.token_urlsafe(32)
    path = token_path(db_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    os.chmod(path, 0o600)
    return token, True


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets; an empty or missing one never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if the request has one."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_token(expected: str | None, given: str | None) -> None:
    if expected is None:
        raise HTTPException(
            403, "this server has no write token: start it with 'copydesk serve' to add articles"
        )
    if not given:
        raise HTTPException(403, "adding articles needs the token that 'copydesk serve' printed")
    if not same(expected, given):
        raise HTTPException(403, "wrong token: use the one 'copydesk serve' printed")


def require_csrf(request: Request, field: str | None) -> None:
    if not same(request.cookies.get(CSRF_COOKIE), field):
        raise HTTPException(
            403, "the form's CSRF check failed: reload the add page and send the form again"
        )


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def too_large(limit: int) -> HTTPException:
    return HTTPException(
        413, f"the request is larger than the upload limit of {limit:,} bytes; send less at once"
    )


def limited(request: Request, limit: int) -> Request:
    """The request with a body that raises 413 as soon as more than ``limit`` bytes came."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    upstream = request.receive
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await upstream()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)
        return message

    return Request(request.scope, receive)
