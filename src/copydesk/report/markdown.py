"""report.md: the analysis as Markdown that reads well on its own.

Articles are named as a reader names them (:mod:`copydesk.report.names`), a brief
sentence is "corroborated" only when two or more independent groups state it, and each
discrepancy is one line (:mod:`copydesk.report.lines`), as on the web desk.
"""

from __future__ import annotations

from collections.abc import Mapping

from copydesk.analyze.brief import CONTRADICTING
from copydesk.models import Article, CopyEdit, Report, StoryAnalysis
from copydesk.report.lines import discrepancy_line, names_text
from copydesk.report.names import article_names, humanise

MAX_CITED = 6
MAX_EDITED_COPIES = 20
MAX_EDITS_SHOWN = 4
EDIT_CHARS = 80


def _cite(ids: tuple[str, ...] | list[str], names: Mapping[str, str]) -> str:
    return _md(names_text(tuple(names.get(i, i) for i in ids), MAX_CITED))


def escape_markdown(text: str) -> str:
    """Escape what Markdown would read as markup in untrusted article text."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


_md = escape_markdown  # the short name this module's f-strings use


def edit_text(edit: CopyEdit, articles: Mapping[str, Article], representative: str) -> str:
    """One edit of a copy in words: “said” → “stated”, drops “…”, adds “…”."""

    def quoted(text: str) -> str:
        text = " ".join(text.split())
        return f"“{text if len(text) <= EDIT_CHARS else text[: EDIT_CHARS - 1] + '…'}”"

    before = articles[representative].text[edit.start : edit.end]
    after = articles[edit.article].text[edit.copy_start : edit.copy_end]
    if before and after:
        return f"{quoted(before)} → {quoted(after)}"
    return f"drops {quoted(before)}" if before else f"adds {quoted(after)}"


def copies_summary(s: StoryAnalysis) -> str | None:
    """“One article copied 200 times” when every article of the story is one text."""
    if len(s.copies) == 1 and 1 + len(s.copies[0].copies) == len(s.story.articles):
        n = len(s.story.articles)
        exact = not s.copies[0].differences
        return f"One article copied {n} times{'' if exact else ' (some copies lightly edited)'}."
    return None


def _copies(
    s: StoryAnalysis, articles: Mapping[str, Article], names: Mapping[str, str]
) -> list[str]:
    lines = ["### Copies", ""]
    summary = copies_summary(s)
    if summary:
        lines += [summary, ""]
    for c in s.copies:
        n = len(c.copies)
        rep = _md(names[c.representative])
        lines.append(
            f"- {n} cop{'y' if n == 1 else 'ies'} of {rep}, analysed once through it: "
            f"{_cite(list(c.copies), names)}"
        )
        edits: dict[str, list[CopyEdit]] = {}
        for e in c.differences:
            edits.setdefault(e.article, []).append(e)
        exact = n - len(edits)
        if exact:
            lines.append(f"  - {exact} word for word" if edits else "  - all word for word")
        for copy, found in list(edits.items())[:MAX_EDITED_COPIES]:
            shown = "; ".join(
                _md(edit_text(e, articles, c.representative)) for e in found[:MAX_EDITS_SHOWN]
            )
            more = (
                f"; and {len(found) - MAX_EDITS_SHOWN} more" if len(found) > MAX_EDITS_SHOWN else ""
            )
            lines.append(f"  - {_md(names[copy])}: {shown}{more}")
        if len(edits) > MAX_EDITED_COPIES:
            lines.append(
                f"  - and {len(edits) - MAX_EDITED_COPIES} more edited copies (see report.json)"
            )
    return [*lines, ""]


def _story(s: StoryAnalysis, articles: Mapping[str, Article]) -> list[str]:
    names = article_names(articles[a] for a in s.story.articles)
    lines = [f"## {_md(s.story.title or s.story.id)}", ""]
    lines += [
        "### Sources",
        "",
        "| article | outlet | title | date | group |",
        "|---|---|---|---|---|",
    ]
    group_of = {a: i + 1 for i, g in enumerate(s.groups) for a in g.articles}
    for aid in s.story.articles:
        a = articles[aid]
        lines.append(
            f"| {_md(names[aid])} | {_md(a.outlet or '-')} | {_md(a.title or '-')} | "
            f"{a.published or '-'} | {group_of.get(aid, '-')} |"
        )
    if s.copies:
        lines += ["", *_copies(s, articles, names)[:-1]]
    lines += ["", "### Brief", ""]
    # Corroborated means two or more independent groups: copies of one source are one.
    corroborated: list[str] = []
    single: list[str] = []
    for b in s.brief:
        if b.section.startswith("discrepancy"):
            continue
        label = (
            f"{b.groups} independent sources"
            if b.groups >= 2
            else "1 source" + (f", {len(b.sources)} copies" if len(b.sources) > 1 else "")
        )
        line = f"- {_md(b.text)} [{_cite(list(b.sources), names)}; {label}]"
        (corroborated if b.groups >= 2 else single).append(line)
    lines += corroborated or ["- (no two independent sources state the same thing)"]
    if single:
        lines += ["", "From one source:", "", *single]
    disputed = [
        discrepancy_line(d, articles, names) for d in s.discrepancies if d.kind in CONTRADICTING
    ]
    if disputed:
        lines += ["", "Disputed:", ""] + [f"- {_md(str(line))}" for line in disputed]
    lines += ["", "### Independent source groups", ""]
    for i, g in enumerate(s.groups, 1):
        reasons = humanise("; ".join(g.reasons), names)
        lines.append(f"{i}. {_cite(list(g.articles), names)}: {_md(reasons)}")
    lines += ["", "### Who copied whom", ""]
    tied = [r for r in s.reuse if r.substantial]
    for r in tied:
        na, nb = _md(names[r.a]), _md(names[r.b])
        arrow = {"a->b": f"{na} → {nb}", "b->a": f"{nb} → {na}"}.get(
            r.direction or "", f"{na} — {nb} (direction unknown)"
        )
        evidence = humanise("; ".join(r.evidence), names)
        lines.append(
            f"- {arrow}: {r.coverage_a:.0%} of {na} and {r.coverage_b:.0%} of {nb} "
            f"found in the other; {_md(evidence)}"
        )
    for copy_set in s.copies:
        n = len(copy_set.copies)
        lines.append(
            f"- {_md(names[copy_set.representative])} → {n} cop{'y' if n == 1 else 'ies'} "
            "(the same text, see Copies)"
        )
    if not tied and not s.copies:
        lines.append("- No substantial reuse: every article is its own source.")
    lines += ["", "### Claims", "", "| claim | groups | articles | text |", "|---|---|---|---|"]
    for c in s.claims:
        flag = " (single source)" if c.single_source else ""
        text = f"detail: {_md(c.text)}" if c.kind == "detail" else _md(c.text)
        # Articles that state the fact but not all of the text are named apart.
        full = [a for a in c.articles if a not in c.partial]
        cited = _cite(full, names)
        if c.partial:
            cited += f"; in part: {_cite(list(c.partial), names)}"
        lines.append(f"| {c.id} | {c.groups}{flag} | {cited} | {text} |")
    lines += ["", "### Discrepancies", ""]
    for d in s.discrepancies:
        lines.append(f"- {_md(str(discrepancy_line(d, articles, names)))}")
    if not s.discrepancies:
        lines.append("- None found.")
    lines += ["", "### Framing", ""]
    for f in s.framing:
        where = f"claim {f.claim}" if f.claim else "across articles"
        variants = "; ".join(
            f"“{_md(v.term)}” ({_md(v.outlet or names.get(v.article, v.article))})"
            for v in f.variants
        )
        lines.append(f"- {f.family} ({where}): {variants}")
    if not s.framing:
        lines.append("- None found.")
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    articles = {a.id: a for a in report.articles}
    lines = ["# copydesk report", ""]
    lines.append(
        f"{len(report.articles)} articles in {len(report.stories)} "
        f"stor{'y' if len(report.stories) == 1 else 'ies'}."
    )
    lines.append("")
    for s in report.stories:
        lines += _story(s, articles)
    if report.errors:
        lines += ["## Inputs that could not be read", ""]
        lines += [f"- {_md(e.source)}: {_md(e.message)}" for e in report.errors]
    return "\n".join(lines).rstrip() + "\n"
