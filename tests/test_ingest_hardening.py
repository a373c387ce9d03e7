"""Bad inputs from a sweep of real exports: each keeps what can be read and reports the rest.

Every text here is made up for these tests (Oskarsund, Wernau and Kirino are fictional).
"""

from __future__ import annotations

import gzip
import io
import json
import resource
import tracemalloc
from pathlib import Path

import pytest

from copydesk import clean
from copydesk.clean import clean_documents
from copydesk.clean.html import extract_html, text_size
from copydesk.ingest import load_documents
from copydesk.ingest.decode import decode_bytes
from copydesk.models import RawDocument

FERRY = (
    "The morning ferry to Oskarsund sailed two hours late on Tuesday because of thick fog "
    "in the sound. The harbour master said the crossing was safe once the fog lifted."
)
LIBRARY = (
    "The Oskarsund town library reopened on Wednesday after a winter of repairs to its "
    "roof. Readers queued at the door before the librarian unlocked it at nine."
)
MARKET = (
    "The Saturday market moves to the harbour square for the summer months, the council "
    "said. Stallholders welcomed the move because the square has more shade."
)


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --- 1. JSON Lines and JSON arrays: one bad item never sinks its file ---


def test_jsonl_broken_line_is_reported_and_good_lines_kept(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ferry", "text": FERRY}),
        '{"id": "cut", "text": "The line ends before its closing',
        json.dumps({"id": "library", "text": LIBRARY}),
        "",
        json.dumps({"id": "market", "text": MARKET}),
    ]
    path = _write(tmp_path / "export.jsonl", "\n".join(lines) + "\n")
    docs, failures = load_documents([str(path)])
    assert [d.id for d in docs] == ["ferry", "library", "market"]
    (failure,) = failures
    assert failure.source == str(path)
    assert "line 2" in failure.message and "malformed JSON" in failure.message


def test_headline_only_objects_become_one_sentence_articles(tmp_path: Path) -> None:
    headline = "Oskarsund council votes to keep the night ferry running"
    lines = [
        json.dumps({"id": "ferry", "title": "Ferry late in fog", "text": FERRY}),
        json.dumps({"id": "vote", "title": headline, "text": ""}),
        json.dumps({"id": "tiny", "title": "Weather", "text": "  "}),
        json.dumps({"id": "market", "title": "Market moves", "text": MARKET}),
    ]
    path = _write(tmp_path / "archive.jsonl", "\n".join(lines) + "\n")
    corpus = clean([str(path)])
    assert [a.id for a in corpus.articles] == ["ferry", "vote", "market"]
    vote = corpus.get("vote")
    assert vote.text == headline and vote.title == headline
    assert len(vote.sentences) == 1
    (failure,) = corpus.errors
    assert failure.source == str(path) and "line 3" in failure.message
    assert "title is too short" in failure.message


def test_many_headline_only_items_do_not_sink_the_file(tmp_path: Path) -> None:
    objects = [{"id": f"full-{i}", "text": f"{FERRY} Report number {i}."} for i in range(6)]
    objects += [
        {"id": f"head-{i}", "title": f"Oskarsund ferry timetable changes for week {i}"}
        for i in range(4)
    ]
    path = _write(tmp_path / "mixed.jsonl", "\n".join(json.dumps(o) for o in objects))
    corpus = clean([str(path)])
    assert len(corpus.articles) == 10 and not corpus.errors


def test_json_array_bad_item_is_reported_alone(tmp_path: Path) -> None:
    items = [{"id": "ferry", "text": FERRY}, 42, {"id": "empty", "url": "https://x.example/"}]
    items.append({"id": "library", "html": f"<p>{LIBRARY}</p>"})
    path = _write(tmp_path / "items.json", json.dumps(items))
    docs, failures = load_documents([str(path)])
    assert [d.id for d in docs] == ["ferry", "library"]
    assert [f.source for f in failures] == [str(path), str(path)]
    assert "item 1 is not a JSON object" in failures[0].message
    assert "item 2 has neither 'text' nor 'html'" in failures[1].message


# --- 2. A feed with an unclosed CDATA section keeps the entries after it ---

RSS_UNCLOSED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Oskarsund Tidende</title>
<item><title>Ferry late</title><link>https://oskarsund.example/ferry</link>
<description><![CDATA[<p>{FERRY}</p>]]></description></item>
<item><title>Broken entry</title><link>https://oskarsund.example/broken</link>
<description><![CDATA[<p>This entry never closes its character data.</p></description></item>
<item><title>Library reopens</title><link>https://oskarsund.example/library</link>
<content:encoded><![CDATA[<p>{LIBRARY}</p>]]></content:encoded></item>
<item><title>Market moves</title><link>https://oskarsund.example/market</link>
<description>{MARKET}</description></item>
</channel></rss>"""

ATOM_UNCLOSED = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Oskarsund Tidende</title>
<entry><title>Ferry late</title><id>urn:oskarsund:1</id>
<link href="https://oskarsund.example/ferry"/>
<content type="html"><![CDATA[<p>{FERRY}</p>]]></content></entry>
<entry><title>Broken entry</title><id>urn:oskarsund:2</id>
<content type="html"><![CDATA[<p>Unclosed character data.</p></content></entry>
<entry><title>Library reopens</title><id>urn:oskarsund:3</id>
<link href="https://oskarsund.example/library"/>
<content type="html"><![CDATA[<p>{LIBRARY}</p>]]></content></entry>
<entry><title>Market moves</title><id>urn:oskarsund:4</id>
<link href="https://oskarsund.example/market"/><summary>{MARKET}</summary></entry>
</feed>"""


@pytest.mark.parametrize("feed", [RSS_UNCLOSED, ATOM_UNCLOSED], ids=["rss", "atom"])
def test_feed_with_unclosed_cdata_keeps_later_entries(tmp_path: Path, feed: str) -> None:
    path = _write(tmp_path / "feed.xml", feed)
    corpus = clean([str(path)])
    assert [a.title for a in corpus.articles] == ["Ferry late", "Library reopens", "Market moves"]
    assert {a.outlet for a in corpus.articles} == {"Oskarsund Tidende"}
    assert "roof" in corpus.articles[1].text
    (failure,) = corpus.errors
    assert failure.source == str(path)
    assert "malformed feed" in failure.message and "'Broken entry'" in failure.message


def test_well_formed_feed_reports_nothing(tmp_path: Path) -> None:
    broken = "<![CDATA[<p>This entry never closes its character data.</p></description>"
    fixed = RSS_UNCLOSED.replace(broken, "<p>A closed entry now.</p></description>")
    corpus = clean([str(_write(tmp_path / "feed.xml", fixed))])
    assert len(corpus.articles) == 4 and not corpus.errors


# --- 3. A truncated WARC: the cut record is reported, the whole ones kept ---


def _warc(gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for i, body in enumerate([FERRY, LIBRARY, MARKET]):
        page = f"<html><body><article><p>{body}</p><p>{body}</p></article></body></html>"
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://oskarsund.example/{i}",
                "response",
                payload=io.BytesIO(page.encode()),
                http_headers=headers,
            )
        )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("gzipped", "cut"),
    [(False, 0.8), (False, 0.97), (True, 0.75), (True, 0.85), (True, 0.95), (True, 0.99)],
)
def test_truncated_warc_reports_the_cut_record(tmp_path: Path, gzipped: bool, cut: float) -> None:
    data = _warc(gzipped)
    name = "crawl.warc.gz" if gzipped else "crawl.warc"
    path = _write(tmp_path / name, data[: int(len(data) * cut)])
    docs, failures = load_documents([str(path)])
    assert [d.url for d in docs] == ["https://oskarsund.example/0", "https://oskarsund.example/1"]
    assert failures and all(f.source == str(path) for f in failures)
    assert any(word in f.message for f in failures for word in ("truncated", "cut"))


def test_whole_warc_reports_nothing(tmp_path: Path) -> None:
    for gzipped, name in [(False, "a.warc"), (True, "b.warc.gz")]:
        docs, failures = load_documents([str(_write(tmp_path / name, _warc(gzipped)))])
        assert len(docs) == 3 and not failures


# --- 4. A gzip bomb is refused at --max-bytes, in bounded memory ---


def test_gzip_bomb_stops_at_max_bytes_in_small_memory(tmp_path: Path) -> None:
    bomb_size = 200 * 1024 * 1024
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        zeros = bytes(1024 * 1024)
        for _ in range(bomb_size // len(zeros)):
            out.write(zeros)
    path = _write(tmp_path / "zeros.txt.gz", buffer.getvalue())
    del buffer
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    try:
        docs, failures = load_documents([str(path)], max_bytes=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    assert not docs
    (failure,) = failures
    assert failure.source == str(path) and "decompresses to more than 1,048,576" in failure.message
    assert peak < 16 * 1024 * 1024
    assert rss_growth < bomb_size // 10


def test_truncated_gzip_is_an_error(tmp_path: Path) -> None:
    data = gzip.compress(f"Ferry late\n\n{FERRY}\n".encode())
    docs, failures = load_documents([str(_write(tmp_path / "cut.txt.gz", data[:-12]))])
    assert not docs and "broken gzip data" in failures[0].message


# --- 5. Decoding: trust (nearly) valid UTF-8 and declared charsets before a guess ---

POLISH = (
    "Po serii ataków na sieć energetyczną zarząd spółki ogłosił, że wzmocni ochronę stacji "
    "w całym województwie. Według rzecznika żadna z awarii nie trwała dłużej niż godzinę."
)


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Raport</title></head><body><p>{body}</p></body></html>"


def test_mostly_utf8_page_with_one_stray_byte_stays_utf8() -> None:
    data = _page(POLISH).encode("utf-8").replace("dłużej".encode(), b"d\xb3u\xbfej")
    text = decode_bytes(data, "page.html")
    assert "ataków" in text and "województwie" in text
    assert "√" not in text and "Ã" not in text and "Å" not in text


def test_utf8_page_with_a_stray_cp1252_quote_keeps_its_accents() -> None:
    data = "<p>The café".encode() + b"\x92" + "s crème brûlée is back.</p>".encode()
    assert decode_bytes(data, "page.html") == "<p>The café’s crème brûlée is back.</p>"


def test_cp1252_page_declaring_windows_1252() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    body = "Le café „Rivière“ ferme ses portes – le propriétaire part à la retraite."
    assert body in decode_bytes(_page(body, head).encode("cp1252"), "page.html")


def test_iso_8859_2_page_declared_in_meta() -> None:
    page = _page(POLISH, '<meta charset="iso-8859-2">')
    assert POLISH in decode_bytes(page.encode("iso-8859-2"), "page.html")


def test_shift_jis_page_declared_in_meta_http_equiv() -> None:
    body = "霧のため、朝のフェリーは二時間遅れて出航しました。港長は安全だと述べました。"
    head = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    assert body in decode_bytes(_page(body, head).encode("shift_jis"), "page.html")


def test_http_content_type_header_outranks_a_guess() -> None:
    data = _page(POLISH).encode("iso-8859-2")
    text = decode_bytes(data, "page.html", content_type="text/html; charset=ISO-8859-2")
    assert POLISH in text


def test_xml_declaration_names_the_encoding() -> None:
    data = f'<?xml version="1.0" encoding="iso-8859-2"?><rss><p>{POLISH}</p></rss>'
    assert POLISH in decode_bytes(data.encode("iso-8859-2"), "feed.xml")


def test_warc_record_charset_header_is_used(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=iso-8859-2")], protocol="HTTP/1.1"
    )
    page = _page(POLISH).encode("iso-8859-2")
    writer.write_record(
        writer.create_warc_record(
            "https://energia.example/raport",
            "response",
            payload=io.BytesIO(page),
            http_headers=headers,
        )
    )
    docs, failures = load_documents([str(_write(tmp_path / "c.warc", buffer.getvalue()))])
    assert not failures and POLISH in docs[0].raw


# --- 6. Ruby reading hints do not run into the words ---

JAPANESE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<title>新しい<ruby>法律<rt>ほうりつ</rt></ruby>が施行 | 霧野新聞</title></head><body>
<nav><ul><li><a href="/">ホーム</a></li><li><a href="/contact">お問い合わせ</a></li></ul></nav>
<article><h1>霧野市で新しい<ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>が施行</h1>
<p>今日から霧野市で新しい<ruby>法<rt>ほう</rt>律<rt>りつ</rt></ruby>が<ruby>施行<rt>しこう</rt></ruby>されました。
市の<ruby>職員<rt>しょくいん</rt></ruby>は、住民のために説明会を開く予定です。</p>
<p>説明会は来週の月曜日に<ruby>市役所<rt>しやくしょ</ruby>の大会議室で行われます。参加は無料で、予約は必要ありません。</p>
</article></body></html>"""


def test_ruby_hints_are_dropped_before_extraction() -> None:
    text = extract_html(JAPANESE).text
    assert "新しい法律が施行されました" in text and "市役所の大会議室" in text
    for hint in ("ほうりつ", "ほう", "しこう", "しょくいん", "しやくしょ", "("):
        assert hint not in text
    assert "ホーム" not in text and "お問い合わせ" not in text


def test_japanese_article_survives_cleaning() -> None:
    doc = RawDocument(source="kirino.html", raw=JAPANESE, kind="html", id="kirino")
    articles, failures = clean_documents([doc])
    assert not failures
    assert "住民のために説明会を開く予定です" in articles[0].text
    assert "ほうりつ" not in articles[0].text


def test_ruby_hints_are_dropped_in_the_fragment_fallback() -> None:
    fragment = "<p>今日は<ruby>雨<rt>あめ</rt></ruby>です。</p>"
    assert extract_html(fragment).text == "今日は雨です。"


def test_text_size_counts_cjk_characters() -> None:
    assert text_size("two words") == 2
    assert text_size("今日は雨です") == 3


# --- 7. A blog page's furniture: copydesk keeps nothing that trafilatura drops ---

BLOG = """<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8">
<title>Wochenmarkt zieht um – Wernauer Notizen</title>
<meta property="og:site_name" content="Wernauer Notizen"></head>
<body class="post-template-default single single-post"><div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="/">Wernauer Notizen</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Startseite</a></li>
<li class="menu-item"><a href="/ueber-uns/">Über uns</a></li>
<li class="menu-item"><a href="/archiv/">Archiv</a></li>
<li class="menu-item"><a href="/impressum/">Impressum</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-77" class="post-77 post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">Wochenmarkt zieht um</h1></header>
<div class="entry-content">
<p>Der Wochenmarkt findet am Samstag auf dem Kirchplatz statt.</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Teilen Sie dies mit:</h3>
<ul><li class="share-facebook"><a href="#">Facebook</a></li>
<li class="share-x"><a href="#">X</a></li></ul></div></div></article>
<div id="comments" class="comments-area"><p class="no-comments">Kommentare sind geschlossen.</p>
</div></main></div>
<footer id="colophon" class="site-footer"><a href="/impressum/">Impressum</a></footer>
</div></body></html>"""


def test_blog_page_keeps_no_menu_or_comment_notice() -> None:
    import trafilatura

    ours = extract_html(BLOG).text
    assert "Der Wochenmarkt findet am Samstag auf dem Kirchplatz statt." in ours
    for furniture in ("Startseite", "Über uns", "Archiv", "Impressum", "Kommentare"):
        assert furniture not in ours
    plain = trafilatura.extract(BLOG) or ""
    assert set(ours.split()) <= set(plain.split())


def test_short_fragment_still_falls_back() -> None:
    fragment = (
        '<div class="entry-content sd-sharing-enabled"><p>Markt am Samstag.</p>'
        "<p>Auf dem Kirchplatz, ab sieben Uhr.</p>"
        '<div class="sharedaddy"><h3>Teilen Sie dies mit:</h3></div></div>'
    )
    text = extract_html(fragment).text
    assert "Markt am Samstag." in text and "Auf dem Kirchplatz, ab sieben Uhr." in text
    assert "Teilen" not in text


# --- 8. Progress callbacks ---


def test_load_and_clean_report_progress(tmp_path: Path) -> None:
    for name, body in [("a.txt", FERRY), ("b.txt", LIBRARY), ("c.txt", MARKET)]:
        _write(tmp_path / name, f"Headline {name}\n\n{body}\n")
    calls: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        calls.append((stage, done, total))

    docs, failures = load_documents([str(tmp_path)], progress=progress)
    assert not failures
    assert calls == [("reading", 1, 3), ("reading", 2, 3), ("reading", 3, 3)]
    calls.clear()
    articles, _ = clean_documents(docs, progress=progress)
    assert len(articles) == 3
    assert calls == [("cleaning", 1, 3), ("cleaning", 2, 3), ("cleaning", 3, 3)]
