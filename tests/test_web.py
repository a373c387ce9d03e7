"""The web desk in-process: every page and its JSON twin, every error status, the token
and CSRF rules, the security headers, and hostile articles escaped on every page.

One store is built per module (samples, follow-ups, seeds when present, hostile
articles, an article with two versions); analyses are computed lazily on first read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from conftest import SAMPLES, seed_files
from copydesk.desk import Desk
from copydesk.models import (
    Article,
    Claim,
    Discrepancy,
    Mention,
    Reuse,
    SourceGroup,
    Story,
    StoryAnalysis,
    Variant,
)
from copydesk.report.lines import discrepancy_line
from copydesk.report.markdown import render_markdown
from copydesk.report.names import article_names, humanise
from copydesk.web import create_app
from copydesk.web.graph import provenance_graph
from copydesk.web.http import environment, snippet_markup
from copydesk.web.security import CSP, ensure_token, read_token, token_path
from copydesk.web.story_page import StoryContext, claim_rows, story_data

FOLLOWUP = SAMPLES.parent / "samples-followup"
TOKEN = "test-token-0123456789"
OUR_SCRIPT = '<script src="/static/desk.js" defer></script>'
HOSTILE_TITLE = "Harbour </title><script>alert('title')</script> reopens"
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea></title><script>alert(2)</script>",
    '<b id="pwned">injected</b>',
]
COMMON = (
    "The harbour of Lindenport reopened on Monday after a three-week closure caused by "
    "a storm that damaged the northern pier. Harbour master Ilse Varga said that 40 ships "
    "were waiting outside the breakwater. Repairs to the pier cost the town council 2 "
    "million crowns, according to officials."
)
HOSTILE_OUTLETS = ['<b id="pwned">Gazette</b>', "Courier <script>alert(3)</script>"]


def _hostile_items() -> list[dict[str, str]]:
    items = []
    for i, outlet in enumerate(HOSTILE_OUTLETS):
        body = (
            COMMON.replace("40 ships", f"{40 + 5 * i} ships")
            + " "
            + " ".join(
                f"Witnesses quoted the sign {p} near berth {i + n}." for n, p in enumerate(PAYLOADS)
            )
        )
        items.append(
            {
                "id": f"hostile-{i}" if i else "<svg onload=alert(4)>",
                "title": HOSTILE_TITLE,
                "outlet": outlet,
                "url": "javascript:alert(5)" if i == 0 else f"https://lindenport.example/{i}",
                "published": "2025-04-0" + str(i + 1),
                "text": body,
            }
        )
    return items


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("web")
    db = root / "desk.db"
    hostile = root / "hostile.jsonl"
    hostile.write_text("\n".join(json.dumps(i) for i in _hostile_items()) + "\n", "utf-8")
    quay = {
        "id": "quay-1",
        "url": "https://velin.example/quay",
        "title": "Northern quay closed at Port Velin",
        "outlet": "Velin Courier",
        "published": "2025-03-04",
        "text": "The harbour authority of Port Velin closed the northern quay on Monday "
        "after a crane collapsed. Nobody was hurt, director Mara Olsen said.",
    }
    quay_path = root / "quay.json"
    with Desk(db) as desk:
        inputs = [str(SAMPLES), str(FOLLOWUP), str(hostile)]
        inputs += [str(p) for p in seed_files()]
        report = desk.add(inputs)
        quay_path.write_text(json.dumps(quay), "utf-8")
        desk.add([str(quay_path)])
        fixed = quay | {"text": quay["text"].replace("Monday", "Tuesday") + " Cargo waits."}
        quay_path.write_text(json.dumps(fixed), "utf-8")
        desk.add([str(quay_path)])
        stories = {a.article: a.story for a in report.added}
    return {"db": db, "stories": stories, "merged": report.merged}


@pytest.fixture(scope="module")
def client(store: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(store["db"], token=TOKEN)) as c:
        yield c


def _story(store: dict[str, Any], article: str) -> str:
    with Desk(store["db"]) as desk:
        found = desk.story_of(article)
    assert found
    return found


@pytest.fixture(scope="module")
def kestrow(store: dict[str, Any]) -> str:
    return _story(store, "01_wire_original")


@pytest.fixture(scope="module")
def hostile_story(store: dict[str, Any]) -> str:
    return _story(store, "hostile-1")


class _Page(HTMLParser):
    """Text, tags, attributes and hrefs of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(str(d["id"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def hrefs(self) -> list[str]:
        return [str(a["href"]) for _, a in self.tags if a.get("href")]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def assert_safe(html: str) -> None:
    """No markup from article text: only our script tag, no inline style or handler."""
    assert re.findall(r"<script[^>]*>", html, re.I) == ['<script src="/static/desk.js" defer>']
    assert OUR_SCRIPT in html
    assert "<style" not in html.lower()
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in {"img", "iframe", "object", "embed", "b"}, tag
        assert "style" not in attrs, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert attrs.get("id") != "pwned"
    assert not any(h.strip().lower().startswith("javascript:") for h in page.hrefs)
    head = html.split("</head>", 1)[0]
    assert head.lower().count("</title>") == 1 and head.count("<") == html[: len(head)].count("<")
    title = re.search(r"<title>(.*?)</title>", head, re.S)
    assert title and "<" not in title.group(1)


def assert_headers(response: Any) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def get_page(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    assert_headers(r)
    assert_safe(r.text)
    return r.text


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    assert_headers(r)
    return r.json()


def assert_error(response: Any, status: int) -> None:
    assert response.status_code == status
    assert_headers(response)
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
        assert body["error"]["status"] == status and body["error"]["message"]
    else:
        assert f"Error {status}" in response.text
        assert_safe(response.text)


def twin_matches(client: TestClient, url: str) -> Any:
    """The page, its .json twin and Accept: application/json agree."""
    path, _, query = url.partition("?")
    json_url = ("/.json" if path == "/" else path + ".json") + (f"?{query}" if query else "")
    data = get_json(client, json_url)
    accepted = client.get(url, headers={"accept": "application/json"})
    assert accepted.status_code == 200 and accepted.json() == data
    get_page(client, url)
    return data


# -- front -----------------------------------------------------------------------


def test_front_page_lists_the_stories_with_counts_and_badges(client: TestClient) -> None:
    html = get_page(client, "/")
    assert "Kestrow" in html
    data = twin_matches(client, "/")
    titles = [s["title"] for s in data["stories"]]
    assert any("Kestrow" in (t or "") for t in titles)
    row = next(s for s in data["stories"] if "Kestrow" in (s["title"] or ""))
    assert row["articles"] >= 9 and row["url"].startswith("/stories/")
    assert {"groups", "discrepancies", "outlets", "first_published", "badges"} <= set(row)
    assert "Harbour Brief" in [o["name"] for o in row["outlets"]]


def test_front_page_filters(client: TestClient) -> None:
    for period in ("1", "7", "30", "all"):
        get_json(client, f"/.json?period={period}")
    by_outlet = get_json(client, "/.json?outlet=Harbour%20Brief")["stories"]
    assert by_outlet and all(
        "Harbour Brief" in [o["name"] for o in s["outlets"]] for s in by_outlet
    )
    get_page(client, "/?outlet=Harbour%20Brief&discrepancies=1&single=1")
    # Analyse the stories first, so that the discrepancy and group filters see them.
    for s in get_json(client, "/.json?limit=100")["stories"]:
        get_json(client, s["url"] + ".json")
    disputed = get_json(client, "/.json?discrepancies=1")["stories"]
    assert disputed and all(s["discrepancies"] for s in disputed)
    single = get_json(client, "/.json?single=1")["stories"]
    assert single and all(s["groups"] == 1 for s in single)
    assert any(b["kind"] == "single" for s in single for b in s["badges"])


def test_front_page_keyset_pagination(client: TestClient) -> None:
    first = get_json(client, "/.json?limit=2")
    assert len(first["stories"]) == 2 and first["next"]
    second = get_json(client, "/.json?limit=2&after=" + first["next"])
    assert not {s["id"] for s in first["stories"]} & {s["id"] for s in second["stories"]}
    html = get_page(client, "/?limit=2")
    assert 'rel="next"' in html
    assert_error(client.get("/.json?after=not-a-cursor"), 400)


def test_since_last_visit_badge(client: TestClient) -> None:
    now = dt.datetime.now(dt.UTC)
    client.cookies.clear()
    data = get_json(client, "/.json")  # a first visit: nothing to compare with
    assert data["visited"] is None and all(s["new_articles"] == 0 for s in data["stories"])
    # The last view was two hours ago: a new visit, which counts everything added since.
    client.cookies.clear()
    client.cookies.set("copydesk_seen", (now - dt.timedelta(hours=2)).isoformat())
    data = get_json(client, "/.json")
    assert data["visited"][:13] == (now - dt.timedelta(hours=2)).isoformat()[:13]
    assert all(s["new_articles"] == s["articles"] for s in data["stories"])
    assert all(any(b["kind"] == "new" for b in s["badges"]) for s in data["stories"])
    # Within a visit the baseline stays where the visit began.
    client.cookies.clear()
    client.cookies.set("copydesk_seen", (now - dt.timedelta(minutes=1)).isoformat())
    client.cookies.set("copydesk_visit", (now + dt.timedelta(minutes=1)).isoformat())
    data = get_json(client, "/.json")
    assert all(s["new_articles"] == 0 for s in data["stories"])
    client.cookies.clear()


# -- story -----------------------------------------------------------------------


def test_story_page_brief_is_an_account(client: TestClient, kestrow: str) -> None:
    data = twin_matches(client, f"/stories/{kestrow}")
    brief = data["brief"]
    assert brief["corroborated"] and all(i["groups"] >= 2 for i in brief["corroborated"])
    assert all(re.fullmatch(r"\d+ independent sources", i["label"]) for i in brief["corroborated"])
    for item in brief["one_source"]:
        assert item["groups"] <= 1
        n = item["articles"]
        assert item["label"] == ("1 source" if n == 1 else f"1 source, {n} copies")
    assert any(i["label"].startswith("1 source, ") for i in brief["one_source"])
    # A chip opens its sentence on the article page.
    chip = brief["corroborated"][0]["chips"][0]
    path, _, fragment = chip["href"].partition("#")
    assert fragment.startswith("s-")
    assert fragment in parse(get_page(client, path)).ids


def test_story_page_discrepancies_are_one_line(client: TestClient, kestrow: str) -> None:
    data = get_json(client, f"/stories/{kestrow}.json")
    lines = [d["line"] for d in data["discrepancies"]]
    assert any(re.match(r"injured: 14 \(.+\) vs 17 \(.+\)$", line) for line in lines), lines
    assert any(line.startswith("Dovanek's words: 'This is a serious") for line in lines), lines
    assert data["brief"]["disputed"]
    html = get_page(client, f"/stories/{kestrow}")
    assert "injured: 14 (" in html and " vs 17 (" in html
    assert 'class="sides"' in html


def test_story_page_names_articles_never_by_hash_id(client: TestClient, kestrow: str) -> None:
    html = get_page(client, f"/stories/{kestrow}")
    text = " ".join(parse(html).text)
    assert "879b5c5f92c82705" not in text  # the feed item's hash id
    assert "Harbour Brief" in text and "The Northern Lantern" in text
    data = get_json(client, f"/stories/{kestrow}.json")
    names = [a["name"] for a in data["articles"]]
    assert len(set(names)) == len(names)
    assert all(not re.fullmatch(r"[0-9a-f]{16}", n) for n in names)
    reasons = " ".join(r for g in data["groups"] for r in g["reasons"])
    assert "879b5c5f92c82705" not in reasons and "01_wire_original" not in reasons


def test_story_page_graph_timeline_and_claims(client: TestClient, kestrow: str) -> None:
    html = get_page(client, f"/stories/{kestrow}")
    assert "<svg" in html and "Harbour Brief</text>" in html
    data = get_json(client, f"/stories/{kestrow}.json")
    assert data["copies"] and all(c["original"]["name"] for c in data["copies"])
    timeline = data["timeline"]
    assert [t["appeared"] for t in timeline] == sorted(t["appeared"] for t in timeline)
    assert timeline[0]["first"] and any(t["copies"] for t in timeline)
    assert any(t["copied_by"] for t in timeline)
    claims = data["claims"]
    rows = claims["corroborated"] + claims["single_source"]
    assert all(not r["single_source"] for r in claims["corroborated"])
    assert all(r["single_source"] for r in claims["single_source"])
    assert '<details class="single-claims">' in html
    keys = [re.sub(r"\W+", " ", r["text"]).strip().lower() for r in rows]
    assert len(keys) == len(set(keys))


def test_graph_edge_labels_never_overlap(client: TestClient, store: dict[str, Any]) -> None:
    with Desk(store["db"]) as desk:
        for story in {s for s in store["stories"].values() if s}:
            try:
                analysis = desk.analysis(story)
            except Exception:  # merged away
                continue
            ctx = StoryContext.build(analysis, desk.articles(list(analysis.story.articles)))
            graph = provenance_graph(
                analysis.story.articles, ctx.names, ctx.group_of, analysis.reuse
            )
            boxes = graph.label_boxes()
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_merged_story_redirects_to_the_live_one(client: TestClient, store: dict[str, Any]) -> None:
    assert store["merged"], "the follow-up round-up merges two stories"
    live, gone = store["merged"][0]
    r = client.get(f"/stories/{gone}", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/stories/{live}"
    assert_headers(r)
    r = client.get(f"/stories/{gone}.json", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/stories/{live}.json"
    r = client.get(f"/stories/{gone}/claims?limit=3", follow_redirects=False)
    assert r.headers["location"] == f"/stories/{live}/claims?limit=3"


def test_one_article_story_shows_no_empty_sections(
    client: TestClient, store: dict[str, Any]
) -> None:
    story = _story(store, "09_unrelated_a")
    data = get_json(client, f"/stories/{story}.json")
    assert data["claims"] is None and data["timeline"] == [] and data["groups"] == []
    assert data["discrepancies"] == [] and data["copies"] == []
    html = get_page(client, f"/stories/{story}")
    for absent in ('id="discrepancies"', 'id="copies"', 'id="timeline"', 'id="claims"'):
        assert absent not in html
    assert "Corroborated" not in html and "1 source" in html


def test_copies_are_listed_once_as_copies_of_their_original(tmp_path: Path) -> None:
    """Wire copy run word for word by three outlets (and once with one word changed) is
    one source: the page lists the copies under their original, not as four sources."""
    wire = (SAMPLES / "story" / "01_wire_original.txt").read_text(encoding="utf-8")
    items = [
        {"id": f"wire-run-{k}", "outlet": outlet, "published": f"2025-03-0{4 + k}", "text": text}
        for k, (outlet, text) in enumerate(
            [
                ("Ostby Ledger", wire),
                ("Varn Evening Star", wire),
                ("Coastline Daily", wire),
                ("Halvey Gazette", wire.replace("told reporters", "told journalists", 1)),
            ]
        )
    ]
    pile = tmp_path / "copies.jsonl"
    pile.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    db = tmp_path / "copies.db"
    with Desk(db) as desk:
        desk.add([str(pile)])
        story = desk.story_of("wire-run-0")
    assert story
    with TestClient(create_app(db, token=TOKEN)) as c:
        data = get_json(c, f"/stories/{story}.json")
        (found,) = data["copy_sets"]["sets"]
        assert found["representative"]["name"] == "Ostby Ledger"
        assert found["count"] == 3 and found["exact"] == 2
        assert [e["article"]["name"] for e in found["edited"]] == ["Halvey Gazette"]
        assert "journalists" in found["edited"][0]["changes"][0]
        assert data["story"]["groups"] == 1
        page = get_page(c, f"/stories/{story}")
        assert "3 copies of" in page and "Halvey Gazette" in page


def test_claims_pages(client: TestClient, kestrow: str) -> None:
    seen: list[str] = []
    url = f"/stories/{kestrow}/claims.json?limit=7"
    total = None
    while url:
        data = get_json(client, url)
        total = data["total"]
        seen += [r["id"] for r in data["claims"]]
        url = (
            data["next_url"] and data["next_url"].replace("/claims?", "/claims.json?") + "&limit=7"
        )
    assert len(seen) == len(set(seen)) == total
    get_page(client, f"/stories/{kestrow}/claims")
    assert_error(client.get(f"/stories/{kestrow}/claims.json?after=c99999"), 400)


# -- synthetic stories: merged claims, a 200-article story, the lines ---------------


def _article(aid: str, text: str, outlet: str | None = None, **kw: Any) -> Article:
    from copydesk.clean import split_sentences

    return Article(
        id=aid,
        source=f"{aid}.txt",
        text=text,
        title=kw.get("title"),
        outlet=outlet,
        published=kw.get("published"),
        url=kw.get("url"),
        author=None,
        sentences=split_sentences(text),
        dropped=(),
        raw=text,
    )


def _analysis(
    articles: tuple[str, ...],
    groups: tuple[tuple[str, ...], ...],
    claims: tuple[Claim, ...],
    reuse: tuple[Reuse, ...] = (),
    story: Story | None = None,
) -> StoryAnalysis:
    """A story's analysis with only its groups, claims and reuse filled in."""
    return StoryAnalysis(
        story=story or Story("s", "t", articles),
        groups=tuple(SourceGroup(g, ()) for g in groups),
        reuse=reuse,
        claims=claims,
        discrepancies=(),
        framing=(),
        brief=(),
    )


def test_claims_differing_only_by_punctuation_are_one_row() -> None:
    a = _article("a", "Police fired tear gas. Nine were held.", "A")
    b = _article("b", "Police fired tear gas! Nine were held.", "B")
    claims = (
        Claim("c1", "Police fired tear gas.", (Mention("a", 0, 22),), ("a",), 1),
        Claim("c2", "Police fired tear gas!", (Mention("b", 0, 22),), ("b",), 1),
        Claim("c3", "Nine were held.", (Mention("a", 23, 38), Mention("b", 23, 38)), ("a", "b"), 2),
    )
    analysis = _analysis(("a", "b"), (("a",), ("b",)), claims)
    rows, _ = claim_rows(StoryContext.build(analysis, [a, b]))
    assert len(rows) == 2
    merged = next(r for r in rows if r["ids"] == ["c1", "c2"])
    assert merged["groups"] == 2 and not merged["single_source"]


def test_a_group_stating_a_claim_only_in_part_gets_its_own_mark() -> None:
    """A claim's ``partial`` articles state its fact, not all of its text: the matrix
    cell of a group whose every article is partial says so; one article stating the
    text in full makes the group's cell a plain "stated"."""
    a = _article("a", "The pact was signed. It lets Tessau draw water.", "A")
    b = _article("b", "The pact was signed. It ends two years of talks.", "B")
    c = _article("c", "The pact was signed. It lets Tessau draw water.", "C")
    pact = Claim(
        "c1",
        "The pact was signed. It lets Tessau draw water.",
        (Mention("a", 0, 47), Mention("b", 0, 20), Mention("c", 0, 47)),
        ("a", "b", "c"),
        3,
        partial=("b",),
    )
    apart = _analysis(("a", "b", "c"), (("a",), ("b",), ("c",)), (pact,))
    (row,), _ = claim_rows(StoryContext.build(apart, [a, b, c]))
    assert [cell["state"] for cell in row["cells"]] == ["y", "p", "y"]
    together = _analysis(("a", "b", "c"), (("a", "b"), ("c",)), (pact,))
    (row,), _ = claim_rows(StoryContext.build(together, [a, b, c]))
    assert [cell["state"] for cell in row["cells"]] == ["y", "y"]


def test_a_story_of_200_articles_stays_readable_and_fast() -> None:
    import time

    n = 200
    articles = [
        _article(
            f"a{k:03d}", f"Claim number {k} was made. Everyone agrees on it.", f"Outlet {k % 40}"
        )
        for k in range(n)
    ]
    claims = tuple(
        Claim(
            f"c{k}",
            f"Claim number {k} was made.",
            tuple(Mention(f"a{j:03d}", 0, 26) for j in range(k % 7 + 1)),
            tuple(f"a{j:03d}" for j in range(k % 7 + 1)),
            min(k % 7 + 1, 30),
        )
        for k in range(400)
    )
    reuse = tuple(
        Reuse(f"a{k:03d}", f"a{k + 1:03d}", (), (), 500, 0.8, 0.9, "a->b", (), True)
        for k in range(0, n - 1, 2)
    )
    ids = tuple(a.id for a in articles)
    analysis = _analysis(
        ids,
        tuple((f"a{k:03d}", f"a{k + 1:03d}") for k in range(0, n, 2)),
        claims,
        reuse,
        Story("big", "A big story", ids),
    )
    start = time.perf_counter()
    ctx = StoryContext.build(analysis, articles)
    data = story_data(ctx, {})
    graph = provenance_graph(analysis.story.articles, ctx.names, ctx.group_of, analysis.reuse)
    html = (
        environment()
        .get_template("story.html")
        .render(d=data, p={"graph": graph}, json_url="", path="")
    )
    assert time.perf_counter() - start < 5
    claims_view = data["claims"]
    assert len(claims_view["columns"]) <= 12
    assert len(claims_view["corroborated"]) <= 20 and len(claims_view["single_source"]) <= 20
    assert claims_view["total"] == 400 and "All 400 claims" in html
    assert len(graph.nodes) <= 40 and graph.left_out == n - len(graph.nodes)
    assert len(html) < 1_000_000


def test_discrepancy_lines() -> None:
    a = _article("a", "14 injured as police clash at the port.", "Harbour Brief")
    b = _article("b", "Tear gas fired; 14 injured at the port.", "The Lantern")
    c = _article("c", "Riot police break picket; 17 injured.", "Kestrow Post")
    number = Discrepancy(
        "number",
        "c1",
        (Variant("a", "14", 0, 2), Variant("b", "14", 16, 18), Variant("c", "17", 26, 28)),
    )
    arts = {x.id: x for x in (a, b, c)}
    names = article_names([a, b, c])
    line = discrepancy_line(number, arts, names)
    assert str(line) == "injured: 14 (Harbour Brief, The Lantern) vs 17 (Kestrow Post)"
    p = _article("p", "Putin said it would be a big mistake.", "Wire")
    q = _article("q", 'Putin warned it would be a "very big mistake."', "Daily")
    quote = Discrepancy(
        "quote",
        "c2",
        (Variant("p", "a big mistake.", 22, 36), Variant("q", "very big mistake.", 27, 44)),
    )
    line = discrepancy_line(quote, {"p": p, "q": q}, article_names([p, q]))
    assert line.text(with_names=False) == "Putin's words: 'big mistake' vs 'very big mistake'"


def test_article_names_are_unique_and_readable() -> None:
    same = [
        _article("x1", "One.", "Harbour Brief", published=dt.date(2025, 3, 4)),
        _article("x2", "Two.", "Harbour Brief", published=dt.date(2025, 3, 5)),
        _article("x3", "Three.", None, url="https://www.kestrowpost.example/a"),
        _article("x4", "Four.", None, title="A headline"),
        _article("x5", "Five.", None, url="javascript:alert(1)", title="Other"),
        _article("x6", "Six.", "Wire"),
        _article("x7", "Seven.", "Wire"),
    ]
    names = article_names(same)
    assert names == {
        "x1": "Harbour Brief, 2025-03-04",
        "x2": "Harbour Brief, 2025-03-05",
        "x3": "kestrowpost.example",
        "x4": "A headline",
        "x5": "Other",
        "x6": "Wire (1)",
        "x7": "Wire (2)",
    }
    assert humanise("x1 and x3 share text; x10 not", names) == (
        "Harbour Brief, 2025-03-04 and kestrowpost.example share text; x10 not"
    )


def test_markdown_report_uses_the_lines_and_names(store: dict[str, Any], kestrow: str) -> None:
    with Desk(store["db"]) as desk:
        text = render_markdown(desk.report(kestrow))
    assert re.search(r"^- injured: 14 \(.+\) vs 17 \(.+\)$", text, re.M)
    assert "879b5c5f92c82705" not in text
    assert "1 source, " in text


# -- article ---------------------------------------------------------------------


def test_article_page_highlights_and_audit(client: TestClient) -> None:
    data = twin_matches(client, "/articles/01_wire_original")
    kinds = {h["kind"] for h in data["highlights"]}
    assert {"reused verbatim", "claim", "disputed detail"} <= kinds
    assert data["story"]["url"].startswith("/stories/") and data["reuse"] and data["claims"]
    html = get_page(client, "/articles/01_wire_original")
    assert 'class="hl v"' in html and 'class="hl d"' in html and 'id="s-0"' in html
    verbatim = next(h for h in data["highlights"] if h["kind"] == "reused verbatim")
    other, _, fragment = verbatim["href"].partition("#")
    assert fragment in parse(get_page(client, other)).ids
    assert "Cleaning audit" in html
    audited = [
        a
        for a in ("05_scraped_page", "06_html_page", "02_verbatim_copy")
        if get_json(client, f"/articles/{a}.json")["article"]["dropped"]
    ]
    assert audited
    page = get_page(client, f"/articles/{audited[0]}")
    reason = get_json(client, f"/articles/{audited[0]}.json")["article"]["dropped"][0]["reason"]
    assert reason in page


def test_article_versions_with_a_word_diff(client: TestClient) -> None:
    data = get_json(client, "/articles/quay-1.json")
    assert [v["version"] for v in data["versions"]] == [1, 2]
    html = get_page(client, "/articles/quay-1")
    assert "Versions" in html and '<mark class="diff">Tuesday</mark>' in html
    single = get_page(client, "/articles/09_unrelated_a")
    assert "Versions" not in single


# -- outlets and search ------------------------------------------------------------


def test_outlet_pages(client: TestClient) -> None:
    listing = twin_matches(client, "/outlets")
    assert "Harbour Brief" in [o["name"] for o in listing["outlets"]]
    data = twin_matches(client, "/outlets/Harbour%20Brief")
    assert data["outlet"] == "Harbour Brief"
    for key in ("first", "reused", "attributed"):
        figure = data[key]
        assert {"count", "total", "share", "articles"} <= set(figure)
        assert all(a["href"].startswith("/articles/") for a in figure["articles"])
        assert len(figure["articles"]) == figure["count"] or key == "first"
    assert data["reused"]["count"] >= 1 and data["reused_from"]
    assert_error(client.get("/outlets/No%20Such%20Outlet"), 404)
    assert_error(client.get("/outlets/No%20Such%20Outlet.json"), 404)


def test_search_with_facets_and_highlighted_snippets(client: TestClient) -> None:
    data = twin_matches(client, "/search?q=tear+gas")
    assert data["total"] >= 5 and data["hits"]
    assert all("[" in h["snippet"] for h in data["hits"])
    assert data["outlets"] and data["stories"] and data["days"]
    story_facet = data["stories"][0]
    assert story_facet["label"] != story_facet["value"]  # a title, not an id
    narrowed = get_json(client, "/search.json?q=tear+gas&outlet=Harbour%20Brief")
    assert narrowed["hits"] and all(h["outlet"] == "Harbour Brief" for h in narrowed["hits"])
    html = get_page(client, "/search?q=tear+gas")
    assert "<mark>" in html
    paged = get_json(client, "/search.json?q=tear+gas&limit=2")
    assert paged["next"]
    more = get_json(client, "/search.json?q=tear+gas&limit=2&after=" + paged["next"])
    assert not {h["article"] for h in paged["hits"]} & {h["article"] for h in more["hits"]}
    assert get_json(client, "/search.json")["hits"] == []
    get_page(client, "/search")


def test_snippet_marks_are_escaped_then_marked() -> None:
    out = str(snippet_markup("a <script>x</script> [tear] gas ]odd[ open"))
    assert out == "a &lt;script&gt;x&lt;/script&gt; <mark>tear</mark> gas ]odd<mark> open</mark>"


# -- errors and headers ------------------------------------------------------------


def test_every_error_status_has_the_one_shape(client: TestClient, kestrow: str) -> None:
    for url in ("/stories/story-nope", "/articles/nope", "/outlets/nope", "/no/such/page"):
        assert_error(client.get(url), 404)
        assert_error(client.get(url, headers={"accept": "application/json"}), 404)
    assert_error(client.get("/stories/story-nope.json"), 404)
    assert_error(client.get("/articles/nope.json"), 404)
    for url in (
        "/.json?period=5",
        "/.json?limit=0",
        "/.json?discrepancies=maybe",
        "/search.json?q=%21%21%21",
        "/search.json?q=gas&since=yesterday",
        f"/stories/{kestrow}/claims.json?limit=x",
    ):
        assert_error(client.get(url), 400)
    assert_error(client.get("/?period=5"), 400)
    assert_error(client.post("/"), 405)
    assert_error(client.delete(f"/stories/{kestrow}"), 405)
    assert_error(client.put("/add.json"), 405)
    assert "allow" in client.post("/").headers


def test_security_headers_on_every_response(client: TestClient, kestrow: str) -> None:
    for url in (
        "/",
        "/.json",
        f"/stories/{kestrow}",
        "/static/desk.css",
        "/static/desk.js",
        "/openapi.json",
        "/add",
        "/nope",
        "/static/nope.css",
    ):
        assert_headers(client.get(url))
    css = client.get("/static/desk.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_openapi_documents_the_routes_and_shapes(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    paths = schema["paths"]
    for path in (
        "/",
        "/.json",
        "/stories/{story_id}",
        "/stories/{story_id}.json",
        "/stories/{story_id}/claims",
        "/articles/{article_id}",
        "/outlets/{name}",
        "/search",
        "/search.json",
        "/add",
        "/add.json",
    ):
        assert path in paths, path
    assert "post" in paths["/add"]
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["status", "message"]


# -- writing: token, CSRF, limits ----------------------------------------------------


def _csrf(client: TestClient) -> str:
    page = client.get("/add")
    assert page.status_code == 200
    assert "samesite=strict" in page.headers.get("set-cookie", "").lower() or client.cookies.get(
        "copydesk_csrf"
    )
    field = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert field and client.cookies.get("copydesk_csrf") == field.group(1)
    return field.group(1)


ARTICLE = (
    "Port Velin dockers end strike\n\nDockers at Port Velin voted on Friday to end their "
    "four-day strike after the harbour authority agreed to review the new shift rota, "
    "union leader Mara Olsen said. Work resumes on Monday."
)


def test_add_form_and_its_twin(client: TestClient) -> None:
    data = twin_matches(client, "/add")
    assert data["max_bytes"] == 20 * 1024 * 1024 and data["done"] is False
    html = get_page(client, "/add")
    assert 'name="csrf"' in html and 'name="token"' in html and 'type="file"' in html
    cookie = client.get("/add", headers={"cookie": ""}).headers.get("set-cookie", "")
    assert "copydesk_csrf=" in cookie and "samesite=strict" in cookie.lower()
    assert "httponly" in cookie.lower()


def test_add_needs_the_token_and_the_csrf_field(client: TestClient) -> None:
    csrf = _csrf(client)
    form = {"text": ARTICLE, "title": "Port Velin dockers end strike", "outlet": "Velin Courier"}
    assert_error(client.post("/add", data=form | {"csrf": csrf}), 403)
    assert_error(client.post("/add", data=form | {"csrf": csrf, "token": "wrong"}), 403)
    assert_error(client.post("/add", data=form | {"token": TOKEN}), 403)
    assert_error(client.post("/add", data=form | {"token": TOKEN, "csrf": csrf + "x"}), 403)
    assert_error(client.post("/add.json", data=form), 403)
    assert_error(
        client.post("/add.json", data=form, headers={"authorization": "Bearer wrong"}), 403
    )
    ok = client.post("/add", data=form | {"token": TOKEN, "csrf": csrf})
    assert ok.status_code == 200, ok.text[:300]
    assert_headers(ok)
    assert_safe(ok.text)
    assert "/stories/" in ok.text and "added" in ok.text


def test_add_through_the_api_shows_the_story(client: TestClient) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    text = ARTICLE.replace("Friday", "Saturday") + " The port reopens at dawn."
    files = [("files", ("velin.txt", text.encode(), "text/plain"))]
    r = client.post("/add.json", files=files, headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["errors"] == [] and len(body["added"]) == 1
    added = body["added"][0]
    assert added["story"] and added["story_href"] == f"/stories/{added['story']}"
    assert get_json(client, added["story_href"] + ".json")["story"]["id"] == added["story"]
    raw = client.post(
        "/add.json?name=velin2.txt", content=text.replace("dawn", "noon").encode(), headers=auth
    )
    assert raw.status_code == 200 and raw.json()["added"][0]["outcome"] in {"added", "copy"}
    assert_error(client.post("/add.json?name=x.txt", content=b"some text"), 403)


def test_a_cached_story_page_is_rendered_again_when_its_story_grows(client: TestClient) -> None:
    """Pages are cached by the stamp of the story's analysis: a new article in the story
    shows on the next read, in the page and in its twin alike."""
    auth = {"authorization": f"Bearer {TOKEN}"}
    text = ARTICLE.replace("Friday", "Sunday") + " Crews cleared the quay by nightfall."
    first = client.post("/add.json?name=velin-cache.txt", content=text.encode(), headers=auth)
    story_href = first.json()["added"][0]["story_href"]
    before = get_json(client, story_href + ".json")
    page_before = get_page(client, story_href)
    assert get_page(client, story_href) == page_before  # a second read, the same page
    more = text.replace("nightfall", "midnight") + " A second crane was idle on Monday."
    second = client.post(
        "/add.json?name=velin-cache-2.txt",
        content=more.encode(),
        headers=auth | {"content-type": "text/plain"},
    )
    assert second.json()["added"][0]["story_href"] == story_href
    after = get_json(client, story_href + ".json")
    assert after["story"]["articles"] == before["story"]["articles"] + 1
    assert get_page(client, story_href) != page_before


def test_a_bad_upload_is_reported_and_the_rest_added(client: TestClient) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    files = [
        ("files", ("broken.json", b'{"text": ', "application/json")),
        ("files", ("empty.txt", b"   ", "text/plain")),
        ("files", ("fine.txt", (ARTICLE + " Ferries run again.").encode(), "text/plain")),
    ]
    body = client.post("/add.json", files=files, headers=auth).json()
    failed = {e["source"] for e in body["errors"]}
    assert {"broken.json", "empty.txt"} <= failed
    assert [a["source"] for a in body["added"]] == ["fine.txt"]
    assert_error(client.post("/add.json", data={"kind": "auto"}, headers=auth), 400)
    empty = client.post("/add.json?name=nothing.txt", content=b"", headers=auth).json()
    assert empty["added"] == [] and empty["errors"][0]["source"] == "nothing.txt"


def test_uploads_over_the_limit_get_413(store: dict[str, Any]) -> None:
    with TestClient(create_app(store["db"], token=TOKEN, max_bytes=2000)) as small:
        auth = {"authorization": f"Bearer {TOKEN}"}
        big = b"word " * 20_000
        files = [("files", ("big.txt", big, "text/plain"))]
        assert_error(small.post("/add.json", files=files, headers=auth), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            for _ in range(100):
                yield b"x" * 1000

        assert_error(small.post("/add.json?name=a.txt", content=chunks(), headers=auth), 413)
        assert_error(small.post("/add?name=a.txt", content=big, headers=auth), 413)


def test_token_file_is_private_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert read_token(db) is None
    token, created = ensure_token(db)
    assert created and token_path(db).name == "t.db.token"
    assert stat.S_IMODE(os.stat(token_path(db)).st_mode) == 0o600
    assert ensure_token(db) == (token, False)
    with TestClient(create_app(db)) as c:  # reads the token beside the store
        r = c.post(
            "/add.json?name=a.txt",
            content=ARTICLE.encode(),
            headers={"authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200
    with TestClient(create_app(tmp_path / "other.db")) as c:  # no token: no writes
        r = c.post("/add.json?name=a.txt", content=b"x", headers={"authorization": "Bearer x"})
        assert_error(r, 403)


# -- hostile articles ----------------------------------------------------------------


def test_hostile_articles_are_escaped_on_every_page(client: TestClient, hostile_story: str) -> None:
    story = get_json(client, f"/stories/{hostile_story}.json")
    ids = [a["id"] for a in story["articles"]]
    assert "<svg onload=alert(4)>" in ids and "hostile-1" in ids
    urls = [f"/stories/{hostile_story}", f"/stories/{hostile_story}/claims", "/", "/outlets"]
    urls += [a["href"] for a in story["articles"]]
    urls += ["/search?q=Witnesses+sign", "/search?q=script", "/search?q=Lindenport"]
    urls += [o["href"] for o in get_json(client, "/outlets.json")["outlets"]]
    for url in urls:
        get_page(client, url)
    article = get_page(client, story["articles"][0]["href"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "javascript:alert(5)" in article  # shown as text, never as a link
    # Through the add form too, and the result page.
    csrf = _csrf(client)
    form = {
        "text": "<html><head><title>"
        + HOSTILE_TITLE
        + "</title></head><body><article><p>"
        + COMMON
        + "</p><p>"
        + " ".join(PAYLOADS)
        + "</p></article></body></html>",
        "kind": "html",
        "outlet": HOSTILE_OUTLETS[1],
        "url": "javascript:alert(6)",
        "token": TOKEN,
        "csrf": csrf,
    }
    r = client.post("/add", data=form)
    assert r.status_code == 200
    assert_safe(r.text)


def test_serve_creates_the_token_and_binds_localhost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from copydesk.web import serve

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    db = tmp_path / "served.db"
    serve(db)
    token = read_token(db)
    assert token and token in capsys.readouterr().out
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    serve(db, port=8123)
    assert read_token(db) == token and calls[1]["port"] == 8123
    monkeypatch.setenv("COPYDESK_SERVE_DB", "")  # restored after the test, as is the token
    monkeypatch.setenv("COPYDESK_SERVE_TOKEN", "")
    serve(db, workers=2)
    assert calls[2]["workers"] == 2 and calls[2]["factory"] is True
    import os

    from copydesk.web.app import app_from_environment

    assert os.environ["COPYDESK_SERVE_DB"] == str(db.resolve())
    assert app_from_environment().state.token == token
