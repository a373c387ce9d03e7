"""Destinations: checked before the work, written as one set, with the user's umask.

Also the CLI's one-line messages (names quoted when they hold a newline), ``--version``
and boolean flags that take no value.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from copydesk import pipeline
from copydesk.cli import app
from copydesk.errors import InputError, OutputError, display_name
from copydesk.models import Report
from copydesk.report import files
from copydesk.report.files import (
    STALE_AFTER_S,
    check_output_dir,
    check_output_file,
    write_atomic,
    write_report_set,
)

BODY = (
    "The harbour authority of Port Velin closed the northern quay on Monday after a crane "
    "collapsed onto a cargo ship, injuring two dock workers, officials said."
)
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SET = {"report.json": "{}\n", "report.md": "# new\n", "report.html": "<p>new</p>\n"}
OLD = {"report.json": '{"old": true}\n', "report.md": "# old\n", "report.html": "<p>old</p>\n"}


def _no_analysis(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the analysis ran although the destination is unusable")


def _empty_report(*args: Any, **kwargs: Any) -> Report:
    return Report(articles=(), stories=())


def _one_line_exit_2(result: Any, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("copydesk: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return str(lines[0])


def _read_set(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8") for name in SET}


@pytest.fixture
def umask() -> Iterator[Any]:
    """Set the umask for one test and put the old one back."""
    previous = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(previous)


# Checked before the work starts ---------------------------------------------------------


def test_out_that_is_a_file_fails_before_the_analysis(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "analyze", _no_analysis)
    taken = tmp_path / "taken.txt"
    taken.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(taken), "-q"])
    _one_line_exit_2(result, str(taken), "is a file")


def test_out_below_a_file_fails_before_the_analysis(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "analyze", _no_analysis)
    (tmp_path / "taken.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "taken.txt" / "sub"
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(out), "-q"])
    _one_line_exit_2(result, "is a file")


@pytest.mark.skipif(AS_ROOT, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_fails_before_the_analysis(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pipeline, "analyze", _no_analysis)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for out in (locked, locked / "new"):
            result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(out), "-q"])
            _one_line_exit_2(result, str(locked), "not writable")
        result = CliRunner().invoke(app, ["clean", str(tmp_path), "--json", str(locked / "o.json")])
        _one_line_exit_2(result, "not writable")
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("command", ["clean", "stories"])
def test_json_that_is_a_folder_fails_before_the_work(
    command: str, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pipeline, "clean", _no_analysis)
    monkeypatch.setattr(pipeline, "stories", _no_analysis)
    result = CliRunner().invoke(app, [command, str(tmp_path), "--json", str(tmp_path), "-q"])
    _one_line_exit_2(result, str(tmp_path), "is a folder", "give a file name")


def test_checks_accept_what_can_be_written(tmp_path: Path) -> None:
    check_output_dir(tmp_path)
    check_output_dir(tmp_path / "new" / "deeper")
    check_output_file(tmp_path / "o.json")
    check_output_file(tmp_path / "new" / "o.json")
    (tmp_path / "o.json").write_text("{}", encoding="utf-8")
    check_output_file(tmp_path / "o.json")
    with pytest.raises(OutputError, match="is a file"):
        check_output_dir(tmp_path / "o.json")
    with pytest.raises(OutputError, match="is a folder"):
        check_output_file(tmp_path)
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    with pytest.raises(OutputError, match="link to nothing"):
        check_output_dir(tmp_path / "dangling")


# Permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)]
)
def test_files_follow_the_umask(
    mask: int, file_mode: int, dir_mode: int, tmp_path: Path, umask: Any
) -> None:
    umask(mask)
    out = tmp_path / "out"
    write_report_set(out, SET)
    write_atomic(tmp_path / "o.json", "{}\n")
    for name in SET:
        assert stat.S_IMODE((out / name).stat().st_mode) == file_mode
    assert stat.S_IMODE((tmp_path / "o.json").stat().st_mode) == file_mode
    assert stat.S_IMODE(out.stat().st_mode) == dir_mode


def test_a_rewritten_folder_keeps_its_mode(tmp_path: Path, umask: Any) -> None:
    umask(0o022)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o750)
    write_report_set(out, SET)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


# Stale temporary files and folders --------------------------------------------------------


def _age(path: Path) -> None:
    past = time.time() - STALE_AFTER_S - 60
    os.utime(path, (past, past), follow_symlinks=False)


def test_stale_temporary_files_of_ours_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".report.json.ab12cd34.tmp"  # as tempfile.mkstemp named them
    stale.write_text("half", encoding="utf-8")
    _age(stale)
    other = out / ".notes.txt.ab12cd34.tmp"  # not one of ours
    other.write_text("mine", encoding="utf-8")
    _age(other)
    write_report_set(out, SET)
    assert not stale.exists() and other.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([*SET, other.name])

    loose = tmp_path / ".o.json.zz99yy88.tmp"
    loose.write_text("half", encoding="utf-8")
    _age(loose)
    fresh = tmp_path / ".o.json.zz99yy77.tmp"  # another write may be busy with this one
    fresh.write_text("busy", encoding="utf-8")
    write_atomic(tmp_path / "o.json", "{}\n")
    assert not loose.exists() and fresh.exists()


def test_a_stale_working_folder_is_salvaged_then_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}", encoding="utf-8")
    left = tmp_path / ".out.new-0123abcd"  # an earlier write, stopped before its swap
    left.mkdir()
    (left / "report.json").write_text("{}", encoding="utf-8")
    (left / "notes.txt").write_text("moved in by that write", encoding="utf-8")
    _age(left)
    write_report_set(out, SET)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "moved in by that write"
    assert _read_set(out) == SET


# The set is swapped in whole ------------------------------------------------------------


def _old_set_with_foreign_files(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name, content in OLD.items():
        (out / name).write_text(content, encoding="utf-8")
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "a.png").write_bytes(b"\x89PNG")
    return out


def test_foreign_files_survive_and_the_set_is_replaced(tmp_path: Path) -> None:
    out = _old_set_with_foreign_files(tmp_path)
    write_report_set(out, SET)
    assert _read_set(out) == SET
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "figures" / "a.png").read_bytes() == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_interrupted_write_keeps_the_old_set(tmp_path: Path, monkeypatch: Any) -> None:
    out = _old_set_with_foreign_files(tmp_path)
    real_create = files._create
    calls: list[Path] = []

    def create_then_fail(path: Path, content: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_create(path, content)

    monkeypatch.setattr(files, "_create", create_then_fail)
    with pytest.raises(KeyboardInterrupt):
        write_report_set(out, SET)
    assert _read_set(out) == OLD
    assert (out / "notes.txt").exists() and (out / "figures" / "a.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_swap_puts_everything_back(tmp_path: Path, monkeypatch: Any) -> None:
    out = _old_set_with_foreign_files(tmp_path)
    real_rename = os.rename

    def rename(source: Any, dest: Any) -> None:
        if Path(dest) == out and ".new-" in Path(source).name:  # the last step
            raise OSError(28, "No space left on device")
        real_rename(source, dest)

    monkeypatch.setattr(files.os, "rename", rename)
    with pytest.raises(OutputError, match="cannot be written"):
        write_report_set(out, SET)
    assert _read_set(out) == OLD
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "figures" / "a.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_a_swap_the_set_is_still_written_whole(tmp_path: Path, monkeypatch: Any) -> None:
    out = _old_set_with_foreign_files(tmp_path)
    monkeypatch.setattr(files, "_can_swap", lambda target: False)
    write_report_set(out, SET)
    assert _read_set(out) == SET
    assert (out / "notes.txt").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([*SET, "notes.txt", "figures"])


def test_a_stream_of_files_is_written_whole_when_the_swap_is_refused(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A stream cannot be asked for twice: when the last rename is refused (another
    device, a sticky folder), the files already written are copied in place from there."""
    out = _old_set_with_foreign_files(tmp_path)
    real_rename = os.rename

    def rename(source: Any, dest: Any) -> None:
        if Path(dest) == out and ".new-" in Path(source).name:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_rename(source, dest)

    monkeypatch.setattr(files.os, "rename", rename)
    taken: list[str] = []

    def stream() -> Iterator[tuple[str, str]]:
        for name, content in SET.items():
            taken.append(name)
            yield name, content

    write_report_set(out, stream())
    assert taken == list(SET)  # asked for once
    assert _read_set(out) == SET
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_linked_out_folder_stays_a_link(tmp_path: Path) -> None:
    out = _old_set_with_foreign_files(tmp_path)
    link = tmp_path / "latest"
    link.symlink_to(out)
    write_report_set(link, SET)
    assert link.is_symlink() and _read_set(out) == SET


def test_analyze_writes_the_set_beside_foreign_files(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "analyze", _empty_report)
    out = _old_set_with_foreign_files(tmp_path)
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# copydesk report")
    assert (out / "notes.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# Names with a newline, --version, flags ---------------------------------------------------


def test_display_name_quotes_only_unprintable_names() -> None:
    assert display_name("a b/é.txt") == "a b/é.txt"
    assert display_name("a\nb.txt") == "'a\\nb.txt'"
    assert "\n" not in display_name("x\r\n\t\x1b")
    assert display_name(Path("plain.txt")) == "plain.txt"
    assert str(InputError("a\nb.txt", "empty file")) == "'a\\nb.txt': empty file"


def test_a_file_name_with_a_newline_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(f"Quay closed\n\n{BODY}\n", encoding="utf-8")
    bad = tmp_path / "bad\nname.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", str(tmp_path), "--json", str(tmp_path / "o.json")])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "name.json" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"copydesk: '{tmp_path}/bad\\nname.json': malformed JSON")


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == "copydesk 0.1.0\n"


@pytest.mark.parametrize("flag", ["--quiet=yes", "--strict=1", "--one-story=true"])
def test_boolean_flags_take_no_value(flag: str, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(pipeline, "analyze", _no_analysis)
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--out", str(tmp_path), flag])
    assert result.exit_code == 2
    assert "does not take a value" in result.stderr
