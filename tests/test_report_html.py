"""report.html: escaping of untrusted text, self-containment, size, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import seed_files
from copydesk.models import (
    Article,
    Claim,
    Discrepancy,
    Mention,
    Passage,
    Report,
    Reuse,
    Sentence,
    SourceGroup,
    Story,
    StoryAnalysis,
    Variant,
)
from copydesk.pipeline import analyze
from copydesk.report.html import render_html, spans_to_segments, word_diff

TITLE_PAYLOAD = (
    "Harbour </script><script>document.title='PWNED'</script>"
    "<img src=x onerror=\"document.title='PWNED'\"> reopens"
)
BODY_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    '<b id="pwned">injected</b>',
    "</script><script>document.body.innerHTML='PWNED'</script>",
    '<a href="javascript:alert(1)">javascript:alert(1)</a>',
]
COMMON = (
    "The harbour of Lindenport reopened on Monday after a three-week closure caused by "
    "a storm that damaged the northern pier. "
    "Harbour master Ilse Varga said that 40 ships were waiting outside the breakwater. "
    "Repairs to the pier cost the town council 2 million crowns, according to officials."
)


def _write_hostile(tmp: Path) -> list[str]:
    rows = []
    for i, outlet in enumerate(['<b id="pwned">Gazette</b>', "Courier <script>x</script>"]):
        body = f"{COMMON} " + " ".join(
            f"Witnesses quoted the sign {p} near berth {i + n}."
            for n, p in enumerate(BODY_PAYLOADS)
        )
        if i == 1:
            body = body.replace("40 ships", "45 ships")
        rows.append(
            {
                "id": f'art{i}"><img src=x onerror=alert(1)>',
                "title": TITLE_PAYLOAD,
                "outlet": outlet,
                "url": "javascript:alert(document.domain)",
                "author": "<svg onload=alert(1)>",
                "published": "2024-05-0" + str(i + 1),
                "text": body,
            }
        )
    path = tmp / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return [str(path)]


@pytest.fixture(scope="session")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    report = analyze(_write_hostile(tmp))
    assert report.articles, report.errors
    out = tmp / "report.html"
    out.write_text(render_html(report), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def seed_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = seed_files()
    if not files:
        pytest.skip("../shared/seeds is absent: the seed report test needs it")
    out = tmp_path_factory.mktemp("seeds") / "report.html"
    out.write_text(render_html(analyze([str(p) for p in files])), encoding="utf-8")
    return out


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(tmp: Path, page: Path, *extra: str) -> str:
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed: apt-get install chromium to run browser tests")
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        *extra,
        page.as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_untrusted_text_is_escaped(hostile_html: Path) -> None:
    html = hostile_html.read_text(encoding="utf-8")
    assert "Lindenport" in html
    for needle in [
        "<img",
        "<svg onload",
        "<b id=",
        '<a href="javascript',
        "<script>alert",
        "<script>x",
    ]:
        assert needle not in html, needle
    # Exactly one script element: ours, at the end.
    assert html.count("<script") == 1
    assert html.count("</script>") == 1
    assert html.index("<script>") > html.index("</main>")
    # Every link stays inside the page; article URLs are shown as text only.
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert "javascript:alert(document.domain)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_payloads_do_not_run_in_chromium(hostile_html: Path, tmp_path: Path) -> None:
    dom = _run_chromium(tmp_path, hostile_html, "--dump-dom")
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and title.group(1) == "copydesk report"
    assert "PWNED" not in dom.replace("document.title='PWNED'", "").replace(
        "document.body.innerHTML='PWNED'", ""
    )
    assert '<b id="pwned"' not in dom
    assert "<img" not in dom
    assert "<svg onload" not in dom


class _Refs(HTMLParser):
    """Collects every tag and attribute that could load or link anything."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


def test_no_external_references(seed_html: Path, hostile_html: Path) -> None:
    for page in (seed_html, hostile_html):
        html = page.read_text(encoding="utf-8")
        refs = _Refs()
        refs.feed(html)
        assert not {"link", "img", "iframe", "object", "embed", "base"} & set(refs.tags)
        assert not [k for k, _ in refs.attrs if k in {"src", "srcset", "action", "xlink:href"}]
        hrefs = [v for k, v in refs.attrs if k == "href"]
        assert hrefs and all(h.startswith("#") for h in hrefs)
        assert not [k for k, _ in refs.attrs if k.startswith("on")]
        styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.S)).lower()
        assert "@import" not in styles and "url(" not in styles
        assert "default-src 'none'" in html


def test_seed_report_contents(seed_html: Path) -> None:
    html = seed_html.read_text(encoding="utf-8")
    assert 'class="matrix"' in html and "<svg" in html and 'class="chip"' in html
    # Every chip and matrix link points at an element that exists.
    ids = set(re.findall(r'id="([^"]+)"', html))
    targets = {h[1:] for h in re.findall(r'href="(#[^"]*)"', html)}
    assert targets <= ids, sorted(targets - ids)[:5]
    assert len(html.encode()) < 1_000_000


def _png_size_and_variety(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    return width, height, len(set(raw[:200_000]))


def test_seed_report_screenshot(seed_html: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _run_chromium(tmp_path, seed_html, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists() and shot.stat().st_size > 20_000
    width, height, variety = _png_size_and_variety(shot)
    assert (width, height) == (1280, 2000)
    assert variety > 20  # not a blank page
    dom = _run_chromium(tmp_path, seed_html, "--dump-dom")
    assert 'class="matrix"' in dom and "Brief</h3>" in dom and 'class="chip"' in dom


def _big_report(n: int = 100, claims: int = 400) -> Report:
    sentence = "Officials in Lindenport said the pier repairs would take another {} weeks. "
    articles = []
    for i in range(n):
        text = f"Pier story {i}\n\n" + "".join(sentence.format(i + k) for k in range(60))
        sents, pos = [], text.index("\n\n") + 2
        while pos < len(text):
            end = text.find(". ", pos)
            end = len(text) if end < 0 else end + 1
            sents.append(Sentence(pos, end))
            pos = end + 1
        articles.append(
            Article(
                id=f"a{i:03d}",
                source=f"a{i:03d}.txt",
                text=text,
                title=f"Pier story {i}",
                outlet=f"Outlet {i % 17}",
                published=None,
                url=None,
                author=None,
                sentences=tuple(sents),
                dropped=(),
                raw=text,
            )
        )
    ids = [a.id for a in articles]
    groups = tuple(SourceGroup(tuple(ids[g::20]), ("synthetic",)) for g in range(20))
    reuse = tuple(
        Reuse(
            a=ids[i],
            b=ids[j],
            passages=(Passage(20, 200, 20, 200),),
            paraphrases=(),
            verbatim_chars=180,
            coverage_a=0.4,
            coverage_b=0.5,
            direction="a->b",
            evidence=("synthetic",),
            substantial=(j - i) % 20 == 0,
        )
        for i in range(n)
        for j in range(i + 1, n)
    )
    s0 = articles[0].sentences[0]
    claim_list = tuple(
        Claim(
            id=f"c{k}",
            text=sentence.format(k),
            mentions=tuple(Mention(ids[(k + m) % n], s0.start, s0.end) for m in range(6)),
            articles=tuple(ids[(k + m) % n] for m in range(6)),
            groups=6,
        )
        for k in range(claims)
    )
    disc = tuple(
        Discrepancy(
            "number",
            f"c{k}",
            (Variant(ids[k % n], "3 weeks", 0, 7), Variant(ids[(k + 1) % n], "4 weeks", 0, 7)),
        )
        for k in range(50)
    )
    story = Story("story-1", "Pier", tuple(ids))
    analysis = StoryAnalysis(story, groups, reuse, claim_list, disc, (), ())
    return Report(articles=tuple(articles), stories=(analysis,))


def test_hundred_article_story_stays_small() -> None:
    html = render_html(_big_report())
    assert len(html.encode()) < 5_000_000
    assert html.count('class="pair"') <= 60


def test_spans_to_segments_and_word_diff() -> None:
    segs = spans_to_segments("abcdefgh", [(2, 5, "v"), (4, 7, "p")])
    assert [(s.text, s.cls) for s in segs] == [("ab", ""), ("cde", "v"), ("fg", "p"), ("h", "")]
    diff = word_diff("a very big mistake.", "a big mistake")
    assert [s.text for s in diff if s.cls == "diff"] == ["very"]


class _Targets(HTMLParser):
    """Brief chips' link targets, and the text inside every element that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.chips: list[str] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("class") == "chip" and (a.get("href") or "").startswith("#"):
            self.chips.append((a["href"] or "")[1:])
        ident = a.get("id")
        self._open.append(ident)
        if ident:
            self.text.setdefault(ident, "")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.text[ident] += data


def test_every_citation_opens_its_source_sentence(seed_html: Path) -> None:
    """A brief's citation chip links to the very sentence of the cited article."""
    parser = _Targets()
    parser.feed(seed_html.read_text(encoding="utf-8"))
    assert len(parser.chips) >= 10
    articles = {p.stem: p.read_text(encoding="utf-8") for p in seed_files()}
    for target in parser.chips:
        assert target in parser.text, f"chip points to #{target}, which is not on the page"
        cited = " ".join(parser.text[target].split())
        article = next(aid for aid in articles if aid in target)
        assert len(cited) > 20 and cited in " ".join(articles[article].split()), target


def test_the_matrix_marks_an_article_stating_a_claim_in_part(tmp_path: Path) -> None:
    """Both papers report the pact, each with its own second half: the claim's text is
    one paper's sentence, so the other paper's cell says "stated in part"."""
    rows = [
        {
            "id": "wire",
            "outlet": "Orlen Wire",
            "published": "2026-03-02",
            "text": "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, "
            "allowing Tessau to draw from the Orlen reservoir during summer droughts and "
            "sell any surplus to farmers. The reservoir is the largest in the valley.",
        },
        {
            "id": "daily",
            "outlet": "Tessau Daily",
            "published": "2026-03-02",
            "text": "The mayors of Orlen and Tessau signed a water-sharing pact on Monday, "
            "ending two years of bitter talks over the price that Tessau pays for the "
            "water. Farmers in the valley welcomed the news.",
        },
    ]
    path = tmp_path / "pact.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = analyze([str(path)])
    (story,) = report.stories
    (pact,) = [c for c in story.claims if len(c.articles) == 2]
    assert len(pact.partial) == 1
    html = render_html(report)
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if "water-sharing" in r)
    cells = re.findall(r'<td class="([yp])"><a [^>]*aria-label="([^"]+)"', row)
    assert sorted(cells) == [("p", "stated in part"), ("y", "stated")]
    assert "stated in part (the fact, not all of this wording)" in html
