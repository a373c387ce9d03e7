"""The web desk in a real browser: Debian's Chromium driven by Playwright (no download).

One server (uvicorn on 127.0.0.1, :mod:`webserver`) and one browser serve the module.
The store holds the bundled samples, their follow-ups and, when ``../shared/seeds`` is
present, the five seed articles, read where they are. Every page a test opens is
watched: a dialog, a page error, a Content-Security-Policy violation or a failed
request for the app's own assets fails the test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from copydesk.desk import Desk
from webserver import SAMPLES, build_store, running_desk, seed_files

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"{CHROMIUM} is absent: apt-get install chromium to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Records every CSP violation the page reports, before any of the page's own code runs.
CSP_PROBE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                    (e.sourceFile || ""));
});
"""
HIT = "rgb(255, 224, 102)"  # desk.css --hit: the background of a sentence linked to
PAGE_BG = "rgb(246, 245, 242)"  # desk.css --bg: proof that the stylesheet applied

# A fictional follow-up to the samples' Kestrow dock clash, added through the form.
FOLLOWUP_TITLE = "Kestrow dockworkers and port agree to talks after tear gas clash"
FOLLOWUP_OUTLET = "Ostby Ledger"
FOLLOWUP_TEXT = (
    "KESTROW, 5 March 2025 — Striking dockworkers at the Port of Kestrow agreed on "
    "Wednesday to meet port managers, a day after police fired tear gas at their picket "
    "line at Gate 3 and 14 people were injured in the clashes.\n\n"
    "Transport Minister Petra Dovanek, who visited Kestrow to meet union leaders, said "
    "the confrontation had been a serious failure of dialogue. Tomas Reuvel, chairman of "
    "the United Harbour Workers' Union, said about 1,200 dockworkers would stay on "
    "strike until the port authority dropped its plan to automate two container "
    "terminals.\n\n"
    "The Kestrow Port Authority said cargo ships were still waiting at anchor off the "
    "coast. Its director, Helena Marsk, said talks would begin on Thursday."
)

# Hostile, fictional articles: each payload would leave a mark if it ever ran.
HOSTILE_TITLE = "Mossbay ferry </title><script>document.title='pwned-title'</script> resumes"
PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "<a href=\"javascript:window.__pwned = 'link'\">see the timetable</a>",
    "\"><script>window.__pwned = 'attr'</script>",
    "<iframe srcdoc=\"<script>parent.__pwned = 'iframe'</script>\"></iframe>",
    "</textarea></title></style><script>alert('closed')</script>",
    '<b id="pwned" onclick="alert(1)">bold</b>',
    "<style>body { display: none }</style>",
]
MOSSBAY = (
    "The ferry link between Mossbay and the island of Tarn resumed on Friday after a "
    "five-day halt caused by a broken loading ramp. Terminal manager Oda Strand said "
    "that {n} lorries had been waiting at the quay. Repairs to the ramp cost the ferry "
    "company 3 million crowns, according to its accounts."
)
HOSTILE_OUTLETS = [
    "Mossbay <script>window.__pwned = 'outlet'</script> Herald",
    "<img src=x onerror=\"alert('outlet')\">Tarn Post",
    "Ferry Wire",
]


def _hostile_body(k: int) -> str:
    lines = [f"Passengers saw the notice {p} at gate {k + n}." for n, p in enumerate(PAYLOADS)]
    return MOSSBAY.format(n=60 + 5 * k) + " " + " ".join(lines)


def _hostile_items() -> list[dict[str, str]]:
    return [
        {
            "id": "<svg onload=\"window.__pwned = 'id'\">" if k == 0 else f"mossbay-{k}",
            "title": HOSTILE_TITLE,
            "outlet": HOSTILE_OUTLETS[k],
            "url": "javascript:window.__pwned='url'" if k == 0 else f"https://mossbay.example/{k}",
            "published": f"2025-04-0{k + 1}",
            "text": _hostile_body(k),
        }
        for k in (0, 1)
    ]


@dataclass
class Served:
    base: str
    token: str
    db: Path
    root: Path

    def story_of(self, article_id: str) -> str:
        with Desk(self.db) as desk:
            found = desk.story_of(article_id)
        assert found, article_id
        return found

    def title_of(self, story_id: str) -> str:
        with Desk(self.db) as desk:
            return desk.story(story_id).title or ""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("browser")
    db = build_store(root / "desk.db")
    with running_desk(db) as (base, token):
        yield Served(base, token, db, root)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A page and what it did that it should not have."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        url = path if path.startswith("http") else self.base + path
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, (url, response and response.status)
        return response

    def csp_violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("() => window.__csp || []")
        return found + [m for m in self.console if "Content Security Policy" in m]

    def assert_clean(self) -> None:
        """Nothing ran that should not, and the app's own assets loaded and ran."""
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.failed, self.failed
        violations = self.csp_violations()
        own = [v for v in violations if "/static/" in v]
        assert not own, f"the app's own assets break its CSP: {own}"
        assert not violations, violations
        assert self.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == (
            PAGE_BG
        )


@pytest.fixture
def open_page(browser: Any, served: Served) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(**options: Any) -> Watched:
        context = browser.new_context(**options)
        contexts.append(context)
        context.add_init_script(CSP_PROBE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        w = Watched(page, served.base)

        def on_dialog(dialog: Any) -> None:
            w.dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
            dialog.dismiss()

        def on_console(msg: Any) -> None:
            if msg.type in ("error", "warning"):
                w.console.append(f"{msg.type}: {msg.text} on {page.url}")

        def on_response(response: Any) -> None:
            if "/static/" in response.url and response.status >= 400:
                w.failed.append(f"{response.status} {response.url}")

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: w.errors.append(f"{e} on {page.url}"))
        page.on("console", on_console)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: w.failed.append(f"failed {r.url}"))
        return w

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop(open_page: Any) -> Watched:
    w: Watched = open_page(viewport={"width": 1200, "height": 900})
    return w


# -- front page ----------------------------------------------------------------------


def test_front_page_lists_the_samples_stories(served: Served, desktop: Watched) -> None:
    expected = {}
    for path in sorted(SAMPLES.glob("*/*")):
        if path.suffix in (".txt", ".html"):
            story = served.story_of(path.stem)
            expected[story] = served.title_of(story)
    assert len(expected) >= 4  # the clash, the similar event, two unrelated stories
    desktop.open("/")
    rows = desktop.page.locator("ol.stories > li.story-row h2 a")
    listed = {
        str(rows.nth(i).get_attribute("href")): rows.nth(i).inner_text()
        for i in range(rows.count())
    }
    for story, title in expected.items():
        assert listed.get(f"/stories/{story}") == title, (story, title, listed)
    kestrow = served.story_of("01_wire_original")
    row = desktop.page.locator(
        "li.story-row", has=desktop.page.locator(f'a[href="/stories/{kestrow}"]')
    )
    assert re.search(r"\b\d+ articles · ", row.inner_text()), row.inner_text()
    row.locator("h2 a").click()
    desktop.page.wait_for_url(f"**/stories/{kestrow}")
    assert "Kestrow" in desktop.page.locator("h1").inner_text()
    desktop.assert_clean()


# -- the seeds' story ----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_story(served: Served) -> tuple[str, list[str]]:
    seeds = [p.stem for p in seed_files()]
    if len(seeds) != 5:
        pytest.skip("../shared/seeds is absent: the seed story tests need its five articles")
    stories = {served.story_of(s) for s in seeds}
    assert len(stories) == 1, stories
    return stories.pop(), seeds


def test_seed_story_shows_three_independent_groups(
    seed_story: tuple[str, list[str]], desktop: Watched
) -> None:
    story, seeds = seed_story
    desktop.open(f"/stories/{story}")
    page = desktop.page
    assert (
        "5 articles, 3 independent sources"
        in page.locator("article.story > p.muted").first.inner_text()
    )
    assert page.locator("#sources ol.groups > li").count() == 3
    # Each article's dot carries its group's colour: the partition is the gold one.
    groups: dict[str, set[str]] = {}
    items = page.locator("#articles ul.articles > li")
    for i in range(items.count()):
        li = items.nth(i)
        cls = str(li.locator("span.dot").get_attribute("class"))
        href = str(li.locator("a").first.get_attribute("href"))
        groups.setdefault(cls, set()).add(href.rsplit("/", 1)[-1][:3])
    assert sorted(map(sorted, groups.values())) == [["000", "001", "002"], ["003"], ["004"]]
    first = page.locator("#sources ol.groups > li").filter(has_text="3 articles")
    assert first.count() == 1
    hrefs = {str(first.locator("a").nth(i).get_attribute("href")) for i in range(3)}
    assert {h.rsplit("/", 1)[-1] for h in hrefs} == {
        s for s in seeds if s[:3] in {"000", "001", "002"}
    }
    desktop.assert_clean()


def test_a_claim_stated_only_in_part_by_a_source_shows_it(served: Served, desktop: Watched) -> None:
    """The police's count of detentions and injured officers is one wire sentence; the
    HTML page (its own group) gives the count without all of that sentence: its cell is
    the "in part" mark, the wire's group's the plain one."""
    desktop.open(f"/stories/{served.story_of('01_wire_original')}")
    row = desktop.page.locator("#claims table.matrix tr").filter(has_text="nine people were")
    assert row.count() == 1
    marks = row.locator("td a")
    titles = [str(marks.nth(i).get_attribute("title")) for i in range(marks.count())]
    signs = [marks.nth(i).inner_text() for i in range(marks.count())]
    assert any(t.startswith("stated in part by") for t in titles), titles
    assert any(t.startswith("stated by") for t in titles), titles
    assert sorted(set(signs)) == ["○", "●"]
    desktop.assert_clean()


def test_seed_story_big_mistake_discrepancy_is_one_line(
    seed_story: tuple[str, list[str]], desktop: Watched
) -> None:
    story, _ = seed_story
    desktop.open(f"/stories/{story}")
    page = desktop.page
    # The brief's disputed part: one item holds both versions.
    disputed = page.locator("#brief ul.lines > li")
    mistakes = [
        disputed.nth(i).inner_text()
        for i in range(disputed.count())
        if "big mistake" in disputed.nth(i).inner_text()
    ]
    assert len(mistakes) == 1, mistakes
    line = mistakes[0]
    assert "\n" not in line.strip()
    assert re.match(r"Putin's words: 'big mistake' \(.+\) vs .*'very big mistake' \(.+\)", line), (
        line
    )
    # The discrepancies section: one block, its versions side by side on one row.
    block = page.locator("#discrepancies .disc").filter(has_text="very big mistake")
    assert block.count() == 1
    values = [v.strip("'\"‘’“” ") for v in block.locator(".side .value").all_inner_texts()]
    assert "big mistake" in values and "very big mistake" in values, values
    tops = {
        round(box["y"]) for box in (s.bounding_box() for s in block.locator(".side").all()) if box
    }
    assert len(tops) == 1, f"the sides wrap onto {len(tops)} rows at 1200 px"
    # The brief's line links to that block.
    disputed.filter(has_text="very big mistake").locator("a").click()
    block_id = block.get_attribute("id")
    assert page.evaluate("() => location.hash") == f"#{block_id}"
    desktop.assert_clean()


def test_seed_story_chip_opens_its_sentence(
    seed_story: tuple[str, list[str]], desktop: Watched
) -> None:
    story, _ = seed_story
    desktop.open(f"/stories/{story}")
    page = desktop.page
    chips = page.locator("#brief ul.account a.chip")
    assert chips.count() >= 3

    def offset(i: int) -> int:
        href = str(chips.nth(i).get_attribute("href"))
        found = re.search(r"#s-(\d+)$", href)
        assert found, href
        return int(found.group(1))

    # The chip whose sentence lies furthest into its article: opening it must scroll.
    far = max(range(chips.count()), key=offset)
    chip = chips.nth(far)
    href = str(chip.get_attribute("href"))
    path, _, fragment = href.partition("#")
    item = page.locator("#brief ul.account > li", has=page.locator(f'a.chip[href="{href}"]')).first
    claim = item.inner_text()
    chip.click()
    page.wait_for_url(f"**{path}#{fragment}")
    target = page.locator(f"#{fragment}")
    assert page.evaluate("() => document.querySelector(':target')?.id") == fragment
    assert target.evaluate("e => e.matches('span.s')")
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIT
    box = target.bounding_box()
    height = page.evaluate("() => innerHeight")
    # In view: scrolled to the top edge (a wrapped span may sit a fraction of a pixel
    # above it) and not below the fold.
    assert box and -1 < box["y"] < height, (box, height)
    assert page.evaluate("() => scrollY") > 0, "the sentence is far down; the page should scroll"
    # The sentence is the brief's claim in that article's words.
    words = {w for w in re.findall(r"[a-z]{5,}", target.inner_text().lower())}
    assert len(words & set(re.findall(r"[a-z]{5,}", claim.lower()))) >= 2, (
        claim,
        target.inner_text(),
    )
    desktop.assert_clean()


def _assert_in_view(page: Any, element_id: str) -> None:
    row = page.locator(f"#{element_id}")
    assert row.is_visible()
    box = row.bounding_box()
    height = page.evaluate("() => innerHeight")
    assert box and -1 <= box["y"] < height - box["height"] / 2, (element_id, box)


def test_desk_js_opens_a_folded_claim(served: Served, desktop: Watched) -> None:
    """desk.js runs under the CSP: a link to a row of the folded single-source claims
    opens the fold and scrolls to the row, on load and on a change of the fragment."""
    kestrow = served.story_of("01_wire_original")
    page = desktop.page
    desktop.open(f"/stories/{kestrow}")
    rows = page.locator("details.single-claims tr[id^=claim-]")
    assert rows.count() >= 2
    first, last = rows.first.get_attribute("id"), rows.last.get_attribute("id")
    assert not page.evaluate("() => document.querySelector('details.single-claims').open")
    desktop.open("/")
    desktop.open(f"/stories/{kestrow}#{first}")  # a new document: DOMContentLoaded
    opened = "() => document.querySelector('details.single-claims').open"
    page.wait_for_function(opened)
    _assert_in_view(page, str(first))
    # Fold it again and follow a link to another row: hashchange opens it.
    page.evaluate("() => { document.querySelector('details.single-claims').open = false; }")
    page.evaluate(f"() => {{ location.hash = '{last}'; }}")
    page.wait_for_function(opened)
    _assert_in_view(page, str(last))
    desktop.assert_clean()


# -- search and add --------------------------------------------------------------------


def test_search_finds_an_article(desktop: Watched) -> None:
    desktop.open("/")
    page = desktop.page
    page.fill("#q-top", "clock museum")
    page.locator("form.find button[type=submit]").click()
    page.wait_for_url("**/search?q=clock+museum")
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 1
    first = hits.first
    assert "Lindholt" in first.locator("h2").inner_text()
    marks = {m.lower() for m in first.locator(".snippet mark").all_inner_texts()}
    assert marks & {"clock", "museum"}, marks
    assert page.input_value("form.filters input[name=q]") == "clock museum"
    first.locator("h2 a").click()
    page.wait_for_url("**/articles/**")
    assert "Lindholt" in page.locator("h1").inner_text()
    desktop.assert_clean()


def _add_form(w: Watched, token: str) -> Any:
    w.open("/add")
    page = w.page
    page.fill("input[name=token]", token)
    return page


def test_add_through_the_form_puts_the_article_into_its_story(
    served: Served, desktop: Watched
) -> None:
    kestrow = served.story_of("01_wire_original")
    page = _add_form(desktop, served.token)
    page.fill("#text", FOLLOWUP_TEXT)
    page.select_option("select[name=kind]", "text")
    page.fill("input[name=title]", FOLLOWUP_TITLE)
    page.fill("input[name=outlet]", FOLLOWUP_OUTLET)
    page.fill("input[name=published]", "2025-03-05")
    page.locator("form.add button[type=submit]").click()
    page.wait_for_selector("#result-h")
    added = page.locator("ul.added > li")
    assert added.count() == 1, page.locator("main").inner_text()
    assert added.locator(".tag").text_content() == "added"
    article_href = str(added.locator("a").first.get_attribute("href"))
    story_link = added.locator("a").nth(1)
    assert story_link.get_attribute("href") == f"/stories/{kestrow}"
    story_link.click()
    page.wait_for_url(f"**/stories/{kestrow}")
    listed = page.locator(f'#articles a[href="{article_href}"]')
    assert listed.count() == 1
    assert FOLLOWUP_OUTLET in listed.inner_text()
    assert FOLLOWUP_OUTLET in page.locator("article.story > p.muted").first.inner_text()
    desktop.assert_clean()


def test_add_with_a_wrong_token_is_refused(served: Served, desktop: Watched) -> None:
    page = _add_form(desktop, "not-the-token")
    page.fill("#text", FOLLOWUP_TEXT.replace("Thursday", "Friday"))
    with page.expect_response(lambda r: r.url.endswith("/add")) as info:
        page.locator("form.add button[type=submit]").click()
    assert info.value.status == 403
    assert "wrong token" in page.locator("main").inner_text()
    assert not desktop.dialogs, desktop.dialogs


# -- a phone ---------------------------------------------------------------------------

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
# Every table's first column: where it lies and whether it is wide enough to read.
FIRST_COLUMN = """() => {
  const out = [];
  for (const table of document.querySelectorAll("table")) {
    for (const row of table.rows) {
      const cell = row.cells[0];
      if (!cell) continue;
      const r = cell.getBoundingClientRect();
      out.push({left: r.left, right: r.right, width: r.width, text: cell.innerText.slice(0, 60)});
    }
  }
  return out;
}"""


def _assert_fits_a_phone(w: Watched) -> None:
    page = w.page
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    width = page.evaluate("() => innerWidth")
    assert width == 390
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: the page is {scroll} px wide on a {width} px screen"
    cells = page.evaluate(FIRST_COLUMN)
    for c in cells:
        assert c["left"] >= -0.5 and c["right"] <= width + 0.5, (page.url, c)
        assert c["width"] >= 0.4 * width, (page.url, c)


def test_story_page_first_column_is_readable_at_390_px(served: Served, open_page: Any) -> None:
    w: Watched = open_page(**PHONE)
    stories = [served.story_of("01_wire_original")]
    if len(seed_files()) == 5:
        stories.append(served.story_of(seed_files()[0].stem))
    for story in stories:
        w.open(f"/stories/{story}")
        assert w.page.locator("table.matrix").count() >= 1
        _assert_fits_a_phone(w)
        # Scrolling the matrix sideways keeps the claim column in view.
        w.page.evaluate(
            "() => document.querySelectorAll('.matrix-wrap').forEach(x => x.scrollLeft = 10000)"
        )
        for c in w.page.evaluate(FIRST_COLUMN):
            assert c["left"] >= -0.5 and c["right"] <= 390.5, c
    w.assert_clean()


def test_other_pages_need_no_sideways_scrolling_at_390_px(served: Served, open_page: Any) -> None:
    w: Watched = open_page(**PHONE)
    for path in (
        "/",
        "/articles/01_wire_original",
        "/outlets",
        "/outlets/Harbour%20Brief",
        "/search?q=tear+gas",
        "/add",
        f"/stories/{served.story_of('01_wire_original')}/claims",
    ):
        w.open(path)
        _assert_fits_a_phone(w)
    w.assert_clean()


# -- hostile articles --------------------------------------------------------------------

INERT = """() => {
  const bad = [];
  if (window.__pwned !== undefined) bad.push("window.__pwned = " + window.__pwned);
  if (document.title === "pwned-title" || !document.title.endsWith(" · copydesk"))
    bad.push("title: " + document.title);
  for (const s of document.scripts) {
    if (s.getAttribute("src") !== "/static/desk.js")
      bad.push("script: " + s.outerHTML.slice(0, 80));
  }
  for (const e of document.querySelectorAll("*")) {
    for (const a of e.attributes) {
      if (a.name.startsWith("on")) bad.push(e.tagName + " " + a.name);
      const url = ["href", "src", "action", "formaction", "xlink:href"].includes(a.name);
      if (url && /^\\s*javascript:/i.test(a.value))
        bad.push(e.tagName + " " + a.name + "=" + a.value);
    }
  }
  for (const e of document.querySelectorAll("img, iframe, object, embed, style, b, #pwned"))
    bad.push("element " + e.tagName);
  if (document.querySelectorAll("head > title").length !== 1) bad.push("titles");
  if (document.querySelectorAll("body title:not(svg title)").length) bad.push("title in body");
  return bad;
}"""


def _hostile_pages(w: Watched, story: str) -> list[str]:
    """Every page the hostile articles reach: front, story, claims, each article, the
    outlets and each outlet, search."""
    page = w.page
    w.open(f"/stories/{story}")
    articles = [
        str(h)
        for h in page.locator("#articles ul.articles a").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
    ]
    w.open("/outlets")
    outlets = page.locator("main a[href^='/outlets/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return [
        "/",
        "/?period=all&discrepancies=1",
        f"/stories/{story}",
        f"/stories/{story}/claims",
        *articles,
        "/outlets",
        *(str(o) for o in outlets),
        "/search?q=Mossbay",
        "/search?q=script+pwned",
        "/search?q=notice+gate",
    ]


def test_hostile_articles_added_through_the_form_run_nothing(
    served: Served, open_page: Any
) -> None:
    w: Watched = open_page(viewport={"width": 1200, "height": 900})
    page = _add_form(w, served.token)
    html = (
        f"<html><head><title>{HOSTILE_TITLE}</title></head><body><article><h1>{HOSTILE_TITLE}"
        f"</h1><p>{MOSSBAY.format(n=75)}</p><p>{' '.join(PAYLOADS)}</p></article></body></html>"
    )
    page.fill("#text", html)
    page.select_option("select[name=kind]", "html")
    page.fill("input[name=outlet]", HOSTILE_OUTLETS[2] + " <script>alert('form')</script>")
    page.fill("input[name=url]", "javascript:window.__pwned='form-url'")
    upload = served.root / "hostile.jsonl"
    upload.write_text("\n".join(json.dumps(i) for i in _hostile_items()) + "\n", "utf-8")
    page.set_input_files("input[name=files]", str(upload))
    page.locator("form.add button[type=submit]").click()
    page.wait_for_selector("#result-h")
    assert page.evaluate(INERT) == []
    added = page.locator("ul.added > li")
    assert added.count() == 3, page.locator("main").inner_text()
    stories = {str(added.nth(i).locator("a").nth(1).get_attribute("href")) for i in range(3)}
    assert len(stories) == 1, stories  # the three versions of the Mossbay story
    story = stories.pop().rsplit("/", 1)[-1]
    pages = _hostile_pages(w, story)
    assert len(pages) >= 12
    for path in pages:
        w.open(path)
        assert w.page.evaluate(INERT) == [], path
    w.assert_clean()
    # Without the CSP, escaping alone must keep every payload inert.
    bare: Watched = open_page(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    for path in pages:
        bare.open(path)
        assert bare.page.evaluate(INERT) == [], path
    bare.assert_clean()
    # The payloads are there, shown as text.
    bare.open("/articles/mossbay-1")
    text = bare.page.locator("#text").inner_text()
    assert "<script>window.__pwned = 'script'</script>" in text
    assert "onerror=" in text
