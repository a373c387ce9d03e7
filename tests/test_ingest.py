"""Ingest: every format, every encoding, and bad inputs reported beside good ones."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copydesk import clean
from copydesk.cli import app

BODY = (
    "The harbour authority of Port Velin closed the northern quay on Monday after a crane "
    "collapsed during the night shift. Nobody was hurt, the authority's director Mara Olsen "
    "said. Cargo bound for the quay will be diverted to the southern terminal until Friday."
)
PAGE = f"""<!doctype html><html><head><title>Crane collapses at Port Velin | Velin Courier</title>
<meta property="og:title" content="Crane collapses at Port Velin">
<meta property="og:site_name" content="Velin Courier">
<meta name="author" content="Ida Brandt">
<meta property="article:published_time" content="2025-03-04T08:15:00+01:00">
<link rel="canonical" href="https://www.velin-courier.example/port/crane-collapse">
</head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Crane collapses at Port Velin</h1><p>{BODY}</p>
<p>Dock workers said the crane had been due for inspection in January.</p></article>
<footer>Copyright 2025 Velin Courier. All rights reserved.</footer></body></html>"""


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_plain_text_article(tmp_path: Path):
    _write(tmp_path / "crane.txt", f"Crane collapses at Port Velin\n\n{BODY}\n")
    corpus = clean([str(tmp_path)])
    (article,) = corpus.articles
    assert article.id == "crane"
    assert article.title == "Crane collapses at Port Velin"
    assert article.source.endswith("crane.txt")
    assert article.raw == f"Crane collapses at Port Velin\n\n{BODY}\n"
    assert len(article.sentences) == 4


def test_html_page_metadata_and_main_text(tmp_path: Path):
    _write(tmp_path / "page.html", PAGE)
    (article,) = clean([str(tmp_path / "page.html")]).articles
    assert article.title == "Crane collapses at Port Velin"
    assert article.outlet == "Velin Courier"
    assert article.author == "Ida Brandt"
    assert article.published is not None and article.published.isoformat() == "2025-03-04"
    assert article.url == "https://www.velin-courier.example/port/crane-collapse"
    assert "crane collapsed during the night shift" in article.text
    assert "Sport" not in article.text and "All rights reserved" not in article.text
    assert article.text.count("Crane collapses at Port Velin") == 1


def test_json_and_jsonl(tmp_path: Path):
    one = {
        "id": "a1",
        "title": "Quay closed",
        "text": BODY,
        "outlet": "Harbour Post",
        "url": "https://harbour.example/a1",
        "published": "2025-03-04T10:00:00Z",
    }
    two = {"html": f"<p>{BODY}</p>", "title": "Quay shut"}
    _write(tmp_path / "list.json", json.dumps([one, two]))
    _write(tmp_path / "lines.jsonl", json.dumps(one | {"id": "b1"}) + "\n\n" + json.dumps(two))
    corpus = clean([str(tmp_path)])
    assert not corpus.errors
    ids = [a.id for a in corpus.articles]
    assert ids[0] == "b1" and ids[2] == "a1"  # lines.jsonl sorts before list.json
    a1 = corpus.get("a1")
    assert (a1.outlet, a1.published.isoformat() if a1.published else None) == (
        "Harbour Post",
        "2025-03-04",
    )
    hashed = [a for a in corpus.articles if a.id not in {"a1", "b1"}]
    assert len(hashed) == 2 and all(len(a.id) >= 16 for a in hashed)
    assert "night shift" in hashed[0].text


def test_rss_feed_entries_are_articles(tmp_path: Path):
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Velin Courier</title>
<item><title>Crane collapses</title><link>https://velin.example/crane</link>
<guid>crane-1</guid><pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate>
<description><![CDATA[<p>{BODY}</p>]]></description></item>
<item><title>Choir wins prize</title><link>https://velin.example/choir</link>
<description>The Velin youth choir won the regional prize on Sunday with a programme of
folk songs. Its conductor thanked the parents who drove the singers to the final.</description>
</item></channel></rss>"""
    _write(tmp_path / "feed.xml", feed)
    corpus = clean([str(tmp_path / "feed.xml")])
    assert [a.title for a in corpus.articles] == ["Crane collapses", "Choir wins prize"]
    crane = corpus.articles[0]
    assert crane.outlet == "Velin Courier" and crane.url == "https://velin.example/crane"
    assert crane.published is not None and crane.published.isoformat() == "2025-03-04"


def test_warc_html_responses_are_articles(tmp_path: Path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in [
        ("https://velin.example/crane", PAGE.encode()),
        ("https://velin.example/logo.png", b"\x89PNG...."),
    ]:
        ctype = "text/html; charset=utf-8" if url.endswith("crane") else "image/png"
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    _write(tmp_path / "crawl.warc.gz", buffer.getvalue())
    corpus = clean([str(tmp_path)])
    (article,) = corpus.articles
    assert article.url == "https://velin.example/crane"
    assert "night shift" in article.text


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b""), ("utf-16-le", b"")],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes):
    text = (
        "Café owners in Port Velin protest “unfair” quay fees\n\n"
        "The owners of the Café Rivière and six other cafés said on Monday that the new fees "
        "were “unfair” and would cost each of them about €1,200 a year. The port’s director "
        "said the fees had not changed since 2019 and would be reviewed in the spring."
    )
    _write(tmp_path / "cafe.txt", prefix + text.encode(encoding))
    (article,) = clean([str(tmp_path)]).articles
    assert (
        "Café Rivière" in article.text and "“unfair”" in article.text and "€1,200" in article.text
    )
    assert "Ã" not in article.text and "\ufffd" not in article.text


def test_mojibake_is_repaired(tmp_path: Path):
    text = "Velin council approves budget\n\nThe council’s vote at the Café Rivière was 9 to 2."
    _write(tmp_path / "moji.txt", text.encode("utf-8").decode("cp1252").encode("utf-8"))
    (article,) = clean([str(tmp_path)]).articles
    assert "council’s" in article.text and "Café Rivière" in article.text
    assert "Ã" not in article.text and "â€" not in article.text
    assert article.raw == text.encode("utf-8").decode("cp1252")  # the raw input is kept as is


def test_bad_inputs_are_reported_and_good_ones_still_processed(tmp_path: Path):
    _write(tmp_path / "good.txt", f"Crane collapses at Port Velin\n\n{BODY}\n")
    _write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _write(tmp_path / "empty.txt", "  \n\n")
    _write(tmp_path / "huge.txt", "word " * 5000)
    _write(tmp_path / "broken.json", '{"id": "x", "text": "unterminated')
    _write(tmp_path / "slides.pdf", b"%PDF-1.4 fake")
    _write(tmp_path / "nothing.json", '{"id": "y", "title": "no body"}')
    os.symlink(tmp_path / "missing-target.txt", tmp_path / "dangling.txt")
    _write(tmp_path / "good.jsonl", json.dumps({"id": "j1", "text": BODY}) + "\n")

    result = CliRunner().invoke(
        app,
        [
            "clean",
            str(tmp_path),
            "--quiet",
            "--max-bytes",
            "20000",
            "--json",
            str(tmp_path / "o.json"),
        ],
    )
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]
    reasons = {
        "binary.txt": "binary data",
        "empty.txt": "empty file",
        "huge.txt": "too large",
        "broken.json": "malformed JSON",
        "slides.pdf": "unknown format",
        "nothing.json": "neither 'text' nor 'html'",
        "dangling.txt": "no such file",
    }
    assert len(lines) == len(reasons)
    for name, reason in reasons.items():
        (line,) = [line for line in lines if name in line]
        assert line.startswith("copydesk: ") and reason in line
    out = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in out["articles"]] == ["j1", "good"]  # sorted by path
    assert {Path(e["source"]).name for e in out["errors"]} == set(reasons)


def test_gzip_and_stdin(tmp_path: Path):
    _write(tmp_path / "crane.html.gz", gzip.compress(PAGE.encode()))
    (article,) = clean([str(tmp_path)]).articles
    assert article.outlet == "Velin Courier"
    result = CliRunner().invoke(app, ["clean", "-"], input=f"Quay closed\n\n{BODY}\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"][0]["title"] == "Quay closed"


def test_folder_walk_skips_documentation_and_hidden_files(tmp_path: Path):
    _write(tmp_path / "README.md", "# Notes\n\nThese notes describe the folder and are not news.")
    _write(tmp_path / ".hidden.txt", f"Hidden\n\n{BODY}")
    (tmp_path / "b").mkdir()
    _write(tmp_path / "b" / "two.txt", f"Two\n\n{BODY}")
    _write(tmp_path / "one.txt", f"One\n\n{BODY}")
    corpus = clean([str(tmp_path)])
    assert [a.id for a in corpus.articles] == ["two", "one"]
    assert clean([str(tmp_path / "README.md")]).articles[0].id == "README"


def test_same_stem_in_two_folders_gets_distinct_ids(tmp_path: Path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        _write(tmp_path / folder / "story.txt", f"Story {folder}\n\n{BODY}")
    assert [a.id for a in clean([str(tmp_path)]).articles] == ["story", "story-2"]


def test_a_quoted_glob_pattern_reads_what_it_matches(tmp_path: Path):
    feeds = tmp_path / "feeds"
    (feeds / "day2").mkdir(parents=True)
    for name in ("a.jsonl", "day2/b.jsonl"):
        record = {"id": name[-7], "text": f"Item {name}. The Mellor ferry ran late on Monday."}
        (feeds / name).write_text(json.dumps(record) + "\n", encoding="utf-8")
    (feeds / "notes.txt").write_text("Not a feed: the pattern leaves it out.\n", "utf-8")
    flat = clean([str(feeds / "*.jsonl")])
    deep = clean([str(feeds / "**" / "*.jsonl")])
    assert [a.id for a in flat.articles] == ["a"] and not flat.errors
    assert sorted(a.id for a in deep.articles) == ["a", "b"]
    none = clean([str(feeds / "*.warc")])
    assert [(e.source, e.message) for e in none.errors] == [
        (str(feeds / "*.warc"), "no file matches this pattern")
    ]
