"""Inputs read and cleaned on the workers give the corpus that one process gives.

The inputs are written at run time: saved pages of three fictional outlets (each with
its own page furniture, which cleaning learns across the outlet's pages), two files of
one name in different folders, and bad inputs of every kind. A real Dask LocalCluster
(two in-process workers, 127.0.0.1) stands for a cluster.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copydesk import pipeline
from copydesk.engine import EngineOptions, open_executor
from copydesk.engine.local import LocalPool
from copydesk.engine.reading import clean_inputs

distributed = pytest.importorskip("distributed")

OUTLETS = ("Harbour Courier", "Valley Standard", "Northgate Post")
TOWNS = ("Ostby", "Kellmar", "Tarrow", "Vinsel", "Orne", "Brask")


def _page(outlet: str, k: int) -> str:
    town = TOWNS[k % len(TOWNS)]
    return f"""<html><head><title>{town} council votes on ferry route {k}</title>
<meta property="og:site_name" content="{outlet}"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{town} council votes on ferry route {k}</h1>
<p>The council of {town} voted {k + 3} to {k % 4} on Tuesday to keep the winter
ferry to the island of Mellor running until March, after a petition signed by
{120 + k} residents.</p>
<p>The harbour master said the older of the two boats would be repaired in
the spring, and that timetables would not change before then.</p>
<p>Councillor Ines Darrow called the vote "a promise kept to the island".</p>
</article>
<p>Sign up for the {outlet} morning newsletter and never miss a story.</p>
<footer>Copyright {outlet}. All rights reserved.</footer>
</body></html>"""


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for n, outlet in enumerate(OUTLETS):
        folder = root / f"outlet{n}"
        folder.mkdir(parents=True)
        for k in range(8):
            (folder / f"page{k}.html").write_text(_page(outlet, k + 10 * n), encoding="utf-8")
    # One name in two folders: the later one gets a suffix, as in one process.
    (root / "outlet0" / "same.txt").write_text(
        "Ferry fares to Mellor rise\n\nFares on the Mellor ferry will rise by 4 percent "
        "from April, the operator said on Monday.\n",
        encoding="utf-8",
    )
    (root / "outlet1" / "same.txt").write_text(
        "Mellor ferry fares up\n\nThe operator of the Mellor ferry said fares would go up "
        "by 4 percent in April.\n",
        encoding="utf-8",
    )
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "menu.html").write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    (root / "broken.json").write_text('{"text": "unfinished', encoding="utf-8")
    lines = [
        json.dumps({"id": f"wire-{k}", "outlet": "Wire", "text": f"Item {k}. " * 3 + "Done."})
        for k in range(3)
    ]
    (root / "wire.jsonl").write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    (root / "gone.txt").symlink_to(root / "nowhere.txt")
    return root


def test_workers_read_and_clean_what_one_process_does(inputs: Path, scheduler: str):
    paths = [str(inputs), str(inputs / "missing-folder")]
    expected = pipeline.clean(paths)
    # The bad inputs fail, the rest is read, and cleaning learnt each outlet's furniture.
    assert len(expected.articles) >= 24 and len(expected.errors) >= 5
    assert not any("newsletter" in a.text for a in expected.articles)
    assert len({a.id for a in expected.articles}) == len(expected.articles)
    pool = LocalPool(2)
    try:
        assert clean_inputs(pool, paths, max_bytes=10**6) == expected
    finally:
        pool.close()
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        assert clean_inputs(executor, paths, max_bytes=10**6) == expected


def test_a_few_big_inputs_are_read_here_and_cleaned_on_the_workers(tmp_path: Path, scheduler: str):
    pages = [
        {"id": f"p{k}", "kind": "html", "html": _page(OUTLETS[k % 3], k), "url": f"https://x/{k}"}
        for k in range(30)
    ]
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_text("\n".join(json.dumps(p) for p in pages) + "\n", encoding="utf-8")
    expected = pipeline.clean([str(jsonl)])
    assert len(expected.articles) == 30
    seen: list[str] = []
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        got = clean_inputs(
            executor, [str(jsonl)], max_bytes=10**7, progress=lambda s, d, t: seen.append(s)
        )
    assert got == expected
    assert "reading" in seen and "cleaning" in seen


def test_too_large_is_reported_by_the_name_given(inputs: Path, scheduler: str):
    paths = [str(inputs)]
    expected = pipeline.clean(paths, max_bytes=400)
    assert any("too large" in e.message for e in expected.errors)
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        assert clean_inputs(executor, paths, max_bytes=400) == expected


def test_inputs_of_no_outlet_clean_on_dask_too(tmp_path: Path, scheduler: str):
    """No outlet, so no recurring lines: the shared value is empty and must still travel."""
    for k in range(6):
        (tmp_path / f"note{k}.txt").write_text(
            f"Ferry note {k}\n\nThe Mellor ferry ran {k + 2} extra crossings on Sunday.\n",
            encoding="utf-8",
        )
    expected = pipeline.clean([str(tmp_path)])
    assert len(expected.articles) == 6 and not any(a.outlet for a in expected.articles)
    with open_executor(EngineOptions(name="dask", scheduler=scheduler)) as executor:
        assert clean_inputs(executor, [str(tmp_path)], max_bytes=10**6) == expected
