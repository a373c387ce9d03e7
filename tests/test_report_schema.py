"""report.json validates against docs/report.schema.json, on real analysed input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES
from copydesk.cli import app


def test_samples_report_validates_against_the_schema(tmp_path: Path):
    result = CliRunner().invoke(app, ["analyze", str(SAMPLES), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["stories"] and report["articles"]
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## " in markdown and "### Brief" in markdown


def test_bad_input_beside_good_ones_keeps_the_report(tmp_path: Path):
    pile = tmp_path / "pile"
    pile.mkdir()
    for path in sorted((SAMPLES / "story").glob("0[12]*.txt")):
        (pile / path.name).write_bytes(path.read_bytes())
    (pile / "broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(pile), "--out", str(out)])
    assert result.exit_code == 1
    assert "broken.json: malformed JSON" in result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["articles"]) == 2 and report["errors"][0]["source"].endswith("broken.json")
