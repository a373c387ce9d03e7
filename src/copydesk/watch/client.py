"""A polite HTTP client: one request at a time per host, a pause between them, robots.txt.

Feeds and article pages belong to other people's servers, so the watcher identifies
itself, waits ``delay`` seconds between two requests to one host, gives up after
``timeout`` seconds of silence, stops reading at ``max_bytes`` and asks robots.txt before
fetching an article page.

Robots policy (RFC 9309): a 2xx robots.txt is obeyed for the ``copydesk`` token; a 4xx
(404 included) means no rules, so everything is allowed; a 5xx, a redirect loop or an
unreachable host means the rules are unknown, and RFC 9309 says to assume complete
disallow. The client does so, but only for ``robots_error_ttl`` seconds (5 min), and says
why in the :class:`RobotsDisallowed` message, which the watcher records: an article
then falls back to its feed text rather than being fetched against unknown rules.
Feeds themselves are not checked (``robots=False``): the user subscribed to them by name,
as every feed reader treats a subscription.

Redirects are followed here, hop by hop, rather than by urllib, so that every hop is
paced, checked against robots.txt and kept to http(s) (a feed must not lead the client
to a ``file:`` URL).
"""

from __future__ import annotations

import http.client
import importlib.metadata
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import IO, Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from copydesk.errors import CopydeskError

DEFAULT_TIMEOUT = 20.0
DEFAULT_DELAY = 1.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ROBOTS_TOKEN = "copydesk"
PROJECT_URL = "https://github.com/copydesk/copydesk"
# RFC 9309 asks crawlers to read at least 500 KiB of robots.txt; what follows is ignored.
_ROBOTS_MAX_BYTES = 512 * 1024
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def user_agent() -> str:
    """``copydesk/<version> (+<project URL>)``: who we are and where to complain."""
    try:
        version = importlib.metadata.version("copydesk")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    return f"copydesk/{version} (+{PROJECT_URL})"


class FetchError(CopydeskError):
    """A URL could not be fetched: transport failure, timeout, size limit, bad redirect."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL, or could not be read (then RFC 9309 says disallow)."""


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP answer of any status. ``url`` is the final URL, after redirects."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        """The media type, lower-cased, without parameters ("" when the server gave none)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        message = Message()
        message["content-type"] = self.header("content-type") or ""
        charset = message.get_param("charset")
        return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


@dataclass(frozen=True, slots=True)
class _Robots:
    """A host's robots verdict: rules, no rules (``parser`` None), or unknown (``refusal``)."""

    parser: RobotFileParser | None
    refusal: str | None
    expires: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back as they are: :meth:`PoliteClient.fetch` follows them itself."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


class PoliteClient:
    """Fetch URLs one at a time per host, ``delay`` seconds apart, honouring robots.txt.

    ``timeout`` bounds each socket operation (connecting, each read), not the whole
    download. The pause is kept per host name, ports ignored (two ports of one name are
    usually one machine); robots.txt is per origin (scheme, host and port), as RFC 9309
    says, and cached for ``robots_ttl`` seconds. Safe to share between threads; the
    watcher itself is single-threaded. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        delay: float = DEFAULT_DELAY,
        max_bytes: int = DEFAULT_MAX_BYTES,
        agent: str | None = None,
        robots_ttl: float = 3600.0,
        robots_error_ttl: float = 300.0,
        max_redirects: int = 10,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.delay = delay
        self.max_bytes = max_bytes
        self.agent = agent or user_agent()
        self.robots_ttl = robots_ttl
        self.robots_error_ttl = robots_error_ttl
        self.max_redirects = max_redirects
        self._clock = clock
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}

    def fetch(
        self, url: str, *, headers: Mapping[str, str] | None = None, robots: bool = True
    ) -> Response:
        """GET ``url``, following redirects. Any HTTP status comes back as a Response.

        Raises :class:`FetchError` when no answer arrives (connection refused, timeout,
        too many redirects, a body over ``max_bytes``, a URL that is not http(s)), and
        :class:`RobotsDisallowed` when ``robots`` is true and robots.txt forbids a hop.
        """
        return self._follow(url, dict(headers or {}), robots=robots, limit=self.max_bytes)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets copydesk fetch ``url`` (fetching robots.txt if needed)."""
        try:
            self._check_robots(url)
        except RobotsDisallowed:
            return False
        return True

    def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, limit: int, truncate: bool = False
    ) -> Response:
        current = url
        for _ in range(self.max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https") or not urlsplit(current).hostname:
                raise FetchError(current, "not an http(s) URL; copydesk fetches only the web")
            if robots:
                self._check_robots(current)
            response = self._request(current, headers, limit=limit, truncate=truncate)
            location = response.header("location")
            if response.status in _REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            return response
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def _request(
        self, url: str, headers: dict[str, str], *, limit: int, truncate: bool
    ) -> Response:
        host = (urlsplit(url).hostname or "").lower()
        with self._host_lock(host):
            last = self._last.get(host)
            if last is not None:
                due = last + self.delay
                while (left := due - self._clock()) > 0:
                    self._sleep(left)
            try:
                return self._open(url, headers, limit=limit, truncate=truncate)
            finally:
                # The pause runs from the end of one answer to the start of the next request.
                self._last[host] = self._clock()

    def _open(self, url: str, headers: dict[str, str], *, limit: int, truncate: bool) -> Response:
        request = urllib.request.Request(url, headers={**headers, "User-Agent": self.agent})
        try:
            try:
                answer = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as err:
                with err:
                    body = _read(err, url, limit, truncate)
                return Response(url, err.code, _headers(err.headers), body)
            with answer:
                body = _read(answer, url, limit, truncate)
                return Response(url, answer.status, _headers(answer.headers), body)
        except TimeoutError as exc:
            raise FetchError(url, f"timed out after {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchError(url, f"timed out after {self.timeout:g} s") from exc
            raise FetchError(url, f"cannot connect ({exc.reason})") from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise FetchError(url, f"broken answer ({exc.__class__.__name__}: {exc})") from exc

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            verdict = self._robots.get(origin)
        if verdict is None or verdict.expires <= self._clock():
            verdict = self._fetch_robots(origin)
            with self._lock:
                self._robots[origin] = verdict
        if verdict.refusal is not None:
            raise RobotsDisallowed(url, verdict.refusal)
        if verdict.parser is not None and not verdict.parser.can_fetch(ROBOTS_TOKEN, url):
            raise RobotsDisallowed(url, f"robots.txt of {origin} disallows it")

    def _fetch_robots(self, origin: str) -> _Robots:
        robots_url = f"{origin}/robots.txt"
        try:
            answer = self._follow(
                robots_url, {}, robots=False, limit=_ROBOTS_MAX_BYTES, truncate=True
            )
        except FetchError as exc:
            return self._unknown_robots(f"robots.txt unreachable ({exc.reason})")
        if 200 <= answer.status < 300:
            parser = RobotFileParser(robots_url)
            parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
            return _Robots(parser, None, self._clock() + self.robots_ttl)
        if 400 <= answer.status < 500:
            return _Robots(None, None, self._clock() + self.robots_ttl)
        return self._unknown_robots(f"robots.txt answered HTTP {answer.status}")

    def _unknown_robots(self, why: str) -> _Robots:
        refusal = f"{why}; treated as disallow-all (RFC 9309) for {self.robots_error_ttl:g} s"
        return _Robots(None, refusal, self._clock() + self.robots_error_ttl)


def _headers(message: Message | Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in message.items()} if message is not None else {}


def _read(stream: Any, url: str, limit: int, truncate: bool) -> bytes:
    """Read at most ``limit`` bytes in chunks; past it, stop (``truncate``) or fail."""
    declared = stream.headers.get("content-length") if stream.headers is not None else None
    if not truncate and declared and declared.strip().isdigit() and int(declared) > limit:
        raise FetchError(url, f"body of {int(declared)} bytes exceeds the {limit}-byte limit")
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            if truncate:
                return b"".join(chunks)[:limit]
            raise FetchError(url, f"body exceeds the {limit}-byte limit; stopped reading")
    return b"".join(chunks)
