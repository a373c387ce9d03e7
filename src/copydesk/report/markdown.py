"""report.md: the analysis as Markdown that reads well on its own."""

from __future__ import annotations

from collections.abc import Mapping

from copydesk.models import Article, Report, StoryAnalysis


def _cite(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _md(text: str) -> str:
    """Escape what Markdown would read as markup in untrusted article text."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _story(s: StoryAnalysis, articles: Mapping[str, Article]) -> list[str]:
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
            f"| `{aid}` | {_md(a.outlet or '-')} | {_md(a.title or '-')} | "
            f"{a.published or '-'} | {group_of.get(aid, '-')} |"
        )
    lines += ["", "### Brief", ""]
    sections = {"corroborated": [], "single-source": [], "discrepancy": []}  # type: dict[str, list[str]]
    for b in s.brief:
        key = b.section.split(":")[0]
        line = (
            f"- {_md(b.text)} [{_cite(list(b.sources))}; {b.groups} independent group"
            f"{'s' if b.groups != 1 else ''}]"
        )
        if key == "discrepancy":
            line = f"- ({b.section.split(':')[1]}) {_md(b.text)} [{_cite(list(b.sources))}]"
        sections[key].append(line)
    lines += sections["corroborated"] or ["- (nothing is stated by two articles)"]
    if sections["single-source"]:
        lines += ["", "Single-source:", ""] + sections["single-source"]
    lines += ["", "### Independent source groups", ""]
    for i, g in enumerate(s.groups, 1):
        lines.append(f"{i}. {_cite(list(g.articles))}: {_md('; '.join(g.reasons))}")
    lines += ["", "### Who copied whom", ""]
    tied = [r for r in s.reuse if r.substantial]
    for r in tied:
        arrow = {"a->b": f"`{r.a}` → `{r.b}`", "b->a": f"`{r.b}` → `{r.a}`"}.get(
            r.direction or "", f"`{r.a}` — `{r.b}` (direction unknown)"
        )
        lines.append(
            f"- {arrow}: {r.coverage_a:.0%} of `{r.a}` and {r.coverage_b:.0%} of `{r.b}` "
            f"found in the other; {_md('; '.join(r.evidence))}"
        )
    if not tied:
        lines.append("- No substantial reuse: every article is its own source.")
    lines += ["", "### Claims", "", "| claim | groups | articles | text |", "|---|---|---|---|"]
    for c in s.claims:
        flag = " (single source)" if c.single_source else ""
        text = f"detail: {_md(c.text)}" if c.kind == "detail" else _md(c.text)
        lines.append(f"| {c.id} | {c.groups}{flag} | {_cite(list(c.articles))} | {text} |")
    lines += ["", "### Discrepancies", ""]
    for d in s.discrepancies:
        variants = "; ".join(f"“{_md(v.text)}” (`{v.article}`)" for v in d.variants)
        where = f"in {d.claim}" if d.claim else "across articles"
        lines.append(f"- **{d.kind}** {where}: {variants}")
    if not s.discrepancies:
        lines.append("- None found.")
    lines += ["", "### Framing", ""]
    for f in s.framing:
        where = f"claim {f.claim}" if f.claim else "across articles"
        variants = "; ".join(f"“{_md(v.term)}” (`{v.article}`)" for v in f.variants)
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
