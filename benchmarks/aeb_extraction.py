"""Main-text extraction of copydesk's HTML cleaning on the Article Extraction Benchmark.

Why this exists: copydesk cleans HTML in two steps, trafilatura and then our own
furniture filter (``copydesk.clean.furniture``). The filter is meant to drop only page
furniture, never article text. This script measures both claims on a public, neutral
corpus, the Article Extraction Benchmark (AEB, scrapinghub/article-extraction-benchmark:
181 pages with hand-made gold article bodies):

* the extraction figure, scored with the benchmark's own metric, next to the outputs
  that the benchmark recorded for trafilatura 2.0.0 and readability, and next to our
  trafilatura step alone (before the furniture filter), so the filter's net effect shows;
* how fast the pipeline runs (pages per second, our extraction only);
* which furniture rules fired, and which dropped lines are actually in the gold body
  (false drops), so that rules which drop real text can be fixed.

The metric follows the benchmark's ``evaluate.py``: ``\\w+`` tokens (case kept, as
there), multisets of 4-token shingles, per-page TP/FP/FN normalised to sum to 1,
precision averaged over pages with a prediction, recall over pages with a gold
body, F1 of the two averages, and a bootstrap 95% interval on F1.

Usage: ``python benchmarks/aeb_extraction.py [--corpus PATH]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from copydesk.clean import clean_documents
from copydesk.clean.html import extract_html
from copydesk.ingest.decode import decode_bytes, repair_text
from copydesk.models import Article, RawDocument

DEFAULT_CORPUS = Path("/work/shared/corpora/aeb")
NGRAM_N = 4
N_BOOTSTRAP = 1000
MAX_FALSE_DROPS_SHOWN = 10
PUBLISHED_TRAFILATURA_F1 = 0.958

TpFpFn = tuple[float, float, float]

# --- The benchmark's metric (after scrapinghub/article-extraction-benchmark, evaluate.py) ---

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Word tokens as the benchmark takes them: runs of ``\\w``, case unchanged."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles; a text shorter than ``n`` is one short shingle."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(gram for gram in grams if gram)


def shingle_matching(true: str, pred: str) -> TpFpFn:
    """TP, FP and FN shingle counts of one page, normalised so that every page weighs 1."""
    gold, ours = shingles(true), shingles(pred)
    tp = float(sum((gold & ours).values()))
    fp = float(sum((ours - gold).values()))
    fn = float(sum((gold - ours).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    f1_ci: float = 0.0


def _aggregate(rows: Sequence[TpFpFn]) -> Score:
    precision = statistics.mean(_precision(*r) for r in rows if r[0] + r[1] > 0)
    recall = statistics.mean(_recall(*r) for r in rows if r[0] + r[2] > 0)
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def evaluate(gold: Mapping[str, str], pred: Mapping[str, str], seed: int = 0) -> Score:
    """Score ``pred`` against ``gold`` (page id -> article body); a missing page is empty."""
    rows = [shingle_matching(gold[key], pred.get(key, "")) for key in gold]
    score = _aggregate(rows)
    rng = random.Random(seed)
    boot = [_aggregate(rng.choices(rows, k=len(rows))).f1 for _ in range(N_BOOTSTRAP)]
    return Score(score.precision, score.recall, score.f1, 1.96 * statistics.stdev(boot))


# --- Corpus ---


@dataclass(frozen=True, slots=True)
class Corpus:
    gold: dict[str, str]
    urls: dict[str, str]
    html: dict[str, bytes]
    recorded: dict[str, dict[str, str]]


def _recorded(path: Path) -> dict[str, str]:
    output = json.loads(path.read_text(encoding="utf-8"))["output"]
    return {key: str(value.get("articleBody") or "") for key, value in output.items()}


def load_corpus(root: Path) -> Corpus:
    """Read the benchmark; exit with a message naming what is missing."""
    truth = root / "ground-truth.json"
    pages = root / "html"
    if not truth.is_file() or not pages.is_dir():
        sys.exit(
            f"AEB corpus not found at {root}: expected ground-truth.json and html/*.html.gz "
            "(get it from github.com/scrapinghub/article-extraction-benchmark, "
            "or pass --corpus PATH)"
        )
    raw = json.loads(truth.read_text(encoding="utf-8"))
    gold = {key: str(value.get("articleBody") or "") for key, value in raw.items()}
    urls = {key: str(value.get("url") or "") for key, value in raw.items()}
    html: dict[str, bytes] = {}
    for key in gold:
        path = pages / f"{key}.html.gz"
        if not path.is_file():
            sys.exit(f"AEB corpus at {root} is incomplete: {path} is missing")
        html[key] = gzip.decompress(path.read_bytes())
    recorded = {
        name: _recorded(root / "output" / f"{name}.json")
        for name in ("trafilatura", "readability")
        if (root / "output" / f"{name}.json").is_file()
    }
    return Corpus(gold=gold, urls=urls, html=html, recorded=recorded)


# --- Our pipeline ---


@dataclass(slots=True)
class Run:
    articles: dict[str, Article]
    failures: dict[str, str]
    seconds: float
    extract_only: dict[str, str] = field(default_factory=dict)
    extract_seconds: float = 0.0


def _warm_up() -> None:
    """Load trafilatura and the sentence splitter so that imports are not timed."""
    html = "<html><body><article>" + "<p>A warm-up paragraph of plain words.</p>" * 5
    clean_documents(
        [RawDocument(source="warm-up", raw=html + "</article></body></html>", kind="html")]
    )


def run_pipeline(corpus: Corpus) -> Run:
    """Clean all pages in one batch, as the CLI would; time the cleaning only.

    Pages are read like saved HTML files (``copydesk.ingest``): bytes decoded by our
    decoder, no URL given, since a saved page does not carry one.
    """
    docs = [
        RawDocument(source=key, raw=decode_bytes(data, key), kind="html", id=key)
        for key, data in corpus.html.items()
    ]
    _warm_up()
    start = time.perf_counter()
    articles, failures = clean_documents(docs)
    seconds = time.perf_counter() - start
    run = Run(
        articles={a.id: a for a in articles},
        failures={f.source: f.message for f in failures},
        seconds=seconds,
    )
    start = time.perf_counter()
    run.extract_only = {doc.source: extract_html(repair_text(doc.raw)).text for doc in docs}
    run.extract_seconds = time.perf_counter() - start
    return run


# --- Furniture audit ---


def _key(text: str) -> str:
    """Lowercase token string, padded, for whole-token containment tests."""
    return " " + " ".join(tokenize(text.lower())) + " "


def _rule(reason: str) -> str:
    return "teaser block (heading + rest of body)" if reason.startswith("teaser block") else reason


@dataclass(frozen=True, slots=True)
class FalseDrop:
    page: str
    reason: str
    line: str


@dataclass(slots=True)
class RuleStats:
    lines: int = 0
    pages: set[str] = field(default_factory=set)
    false_lines: int = 0
    false_words: int = 0


def in_gold(line: str, gold_key: str, gold_lines: set[str]) -> bool:
    """A dropped line is gold text when it is a whole gold paragraph, or when it has at
    least 4 tokens that occur contiguously in the gold body (shorter lines such as
    'Share' or 'More' would match any body by chance)."""
    key = _key(line)
    if key.strip() == "":
        return False
    return key in gold_lines or (len(key.split()) >= NGRAM_N and key in gold_key)


def audit_drops(
    articles: Mapping[str, Article], gold: Mapping[str, str]
) -> tuple[dict[str, RuleStats], list[FalseDrop]]:
    """Per-rule counts of dropped lines, and the dropped lines that the gold body holds.

    A dropped line that our output still holds elsewhere (a headline dropped as a
    repeat, say) lost no text and is not counted as a false drop.
    """
    stats: dict[str, RuleStats] = {}
    false_drops: list[FalseDrop] = []
    for page, article in articles.items():
        gold_key = _key(gold[page])
        gold_lines = {_key(line) for line in gold[page].splitlines() if line.strip()}
        ours = _key(article.text)
        for dropped in article.dropped:
            rule = _rule(dropped.reason)
            entry = stats.setdefault(rule, RuleStats())
            entry.lines += 1
            entry.pages.add(page)
            if in_gold(dropped.text, gold_key, gold_lines) and _key(dropped.text) not in ours:
                entry.false_lines += 1
                entry.false_words += len(tokenize(dropped.text))
                false_drops.append(FalseDrop(page, dropped.reason, dropped.text))
    return stats, false_drops


def pick_false_drops(
    drops: Sequence[FalseDrop], limit: int = MAX_FALSE_DROPS_SHOWN
) -> list[tuple[tuple[str, str], list[str]]]:
    """Distinct (reason, line) false drops with their pages, one rule at a time in turn
    and the longest line of each rule first, so that one noisy rule does not hide the
    others."""
    pages: dict[tuple[str, str], list[str]] = {}
    for drop in drops:
        pages.setdefault((drop.reason, drop.line), []).append(drop.page)
    by_rule: dict[str, list[tuple[str, str]]] = {}
    for reason, line in sorted(pages, key=lambda item: -len(tokenize(item[1]))):
        by_rule.setdefault(_rule(reason), []).append((reason, line))
    queues = sorted(by_rule.values(), key=len, reverse=True)
    picked: list[tuple[tuple[str, str], list[str]]] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                key = queue.pop(0)
                picked.append((key, pages[key]))
    return picked


def headline_in_gold(articles: Mapping[str, Article], gold: Mapping[str, str]) -> tuple[int, int]:
    """(pages whose gold body begins with our headline, pages where we found a headline)."""
    begins = titled = 0
    for page, article in articles.items():
        if not article.title:
            continue
        titled += 1
        if _key(gold[page]).startswith(_key(article.title)):
            begins += 1
    return begins, titled


# --- Report ---


def _row(name: str, score: Score) -> str:
    return (
        f"{name:<44} {score.precision:>9.3f} {score.recall:>7.3f} "
        f"{score.f1:>7.3f} ± {score.f1_ci:.3f}"
    )


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def report(corpus: Corpus, run: Run) -> None:
    import trafilatura

    gold = corpus.gold
    n = len(gold)
    with_title = {page: a.text for page, a in run.articles.items()}
    body_only = {page: a.text[a.body_start :] for page, a in run.articles.items()}
    begins, titled = headline_in_gold(run.articles, gold)

    print(f"Article Extraction Benchmark: {n} pages, metric of its evaluate.py")
    print(f"(4-token shingles; F1 interval: bootstrap 95%, {N_BOOTSTRAP} resamples)\n")
    print(f"{'system':<44} {'precision':>9} {'recall':>7} {'F1':>7}")
    print(_row("copydesk, headline + body (Article.text)", evaluate(gold, with_title)))
    print(_row("copydesk, body only (headline line removed)", evaluate(gold, body_only)))
    version = trafilatura.__version__
    print(
        _row(f"  our trafilatura {version} step, before filter", evaluate(gold, run.extract_only))
    )
    recorded_f1: float | None = None
    for name, label in (("trafilatura", "trafilatura 2.0.0 (recorded)"), ("readability", "")):
        if name in corpus.recorded:
            score = evaluate(gold, corpus.recorded[name])
            print(_row(label or f"{name} (recorded)", score))
            if name == "trafilatura":
                recorded_f1 = score.f1
    print()
    print(
        f"copydesk speed: {n / run.seconds:.1f} pages/s "
        f"({run.seconds:.2f} s wall for {n} pages: text repair, trafilatura, furniture "
        f"filter, sentences); trafilatura step alone {n / run.extract_seconds:.1f} pages/s"
    )
    if recorded_f1 is not None:
        verdict = (
            "reproduces" if abs(recorded_f1 - PUBLISHED_TRAFILATURA_F1) <= 0.002 else "differs from"
        )
        print(
            f"Metric check: recorded trafilatura output scores F1 {recorded_f1:.3f}, which "
            f"{verdict} the published {PUBLISHED_TRAFILATURA_F1:.3f}."
        )
    print(
        f"Headline: the gold body begins with our headline on {begins} of {titled} pages "
        "with a headline, so the body-only row is the fair one."
        if begins * 2 < titled
        else f"Headline: the gold body begins with our headline on {begins} of {titled} pages."
    )
    if run.failures:
        print(f"\nPages we rejected ({len(run.failures)}), scored as empty:")
        for page, message in sorted(run.failures.items()):
            words = len(run.extract_only.get(page, "").split())
            print(f"  {page[:16]}  {message}; trafilatura step gave {words} words")

    stats, false_drops = audit_drops(run.articles, gold)
    print("\nFurniture rules that dropped lines")
    print(f"{'rule':<56} {'lines':>5} {'pages':>5} {'in gold':>7} {'gold words':>10}")
    for rule, entry in sorted(stats.items(), key=lambda item: -item[1].lines):
        print(
            f"{_short(rule, 56):<56} {entry.lines:>5} {len(entry.pages):>5} "
            f"{entry.false_lines:>7} {entry.false_words:>10}"
        )
    total = sum(entry.lines for entry in stats.values())
    wrong = sum(entry.false_lines for entry in stats.values())
    print(f"{'total':<56} {total:>5} {'':>5} {wrong:>7}")

    shown = pick_false_drops(false_drops)
    print(
        f"\nFalse drops (dropped lines that are in the gold body): {len(false_drops)} lines; "
        f"{len(shown)} distinct shown, rules taken in turn, longest first"
    )
    for (reason, line), pages in shown:
        where = f"{len(pages)} pages" if len(pages) > 1 else pages[0][:12]
        print(f"  [{_short(reason, 44)}] {where:<12}  {_short(line)!r}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"AEB checkout: ground-truth.json, html/, output/ (default {DEFAULT_CORPUS})",
    )
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    report(corpus, run_pipeline(corpus))


if __name__ == "__main__":
    main()
