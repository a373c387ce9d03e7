"""Write report files so that a reader never sees half a file, nor a mix of two runs.

One file (``write_atomic``) is written to a temporary file beside it and renamed into
place. A set of files (``write_report_set``: report.json, report.md, report.html) is
written into a new sibling folder that is then swapped in for the output folder, so the
three always come from the same run. Files are created with mode ``0666`` less the
umask, like any other file the user makes (``tempfile.mkstemp`` would give ``0600``).

Temporary files and folders left by an interrupted write are ours to clean up: the next
write removes them once they are older than :data:`STALE_AFTER_S`, a margin that keeps
a second copydesk writing to the same place at the same moment from losing its files.

The ``check_*`` functions look at a destination before the work starts, so that a long
analysis does not end in a failed write; they raise :class:`OutputError` with the fix.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from copydesk.errors import OutputError, display_name

STALE_AFTER_S = 60.0
"""A temporary file or folder of ours this much older than now belongs to no live write."""

_TEMP = r"\.{name}\.[a-z0-9_]{{8}}\.tmp"  # ours and tempfile.mkstemp's, as earlier versions made
_SIBLING = r"\.{name}\.(?:new|old)-[0-9a-f]{{8}}"
_SWAP_REFUSED = {errno.EXDEV, errno.EBUSY, errno.EPERM, errno.EACCES, errno.EINVAL}

# A file's content, or what renders it when it is written (whole, or in pieces): a set
# of thousands of pages, or one very big file, is then never all in memory at once.
Content = str | Callable[[], str | Iterable[str]]


class _SwapRefused(Exception):
    """The folder cannot be swapped (a mount point, a sticky parent); everything was undone,
    except that the set's files, if all were written, are kept in ``staged`` (``names``):
    a stream of files cannot be asked for twice, so the fallback copies them from there."""

    staged: Path | None = None
    names: tuple[str, ...] = ()


def _checked(pairs: Iterable[tuple[str, Content]]) -> Iterator[tuple[str, Content]]:
    """The pairs, each name checked to be a plain name or ``folder/name`` as it comes."""
    for name, content in pairs:
        parts = name.split("/")
        if len(parts) > 2 or any(not p or p in {".", ".."} or os.sep in p for p in parts):
            raise ValueError(f"not a plain file name: {name!r}")
        yield name, content


def check_output_dir(path: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` unless ``path`` is, or can be made, a writable folder."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(target, "is a file, not a folder: give a folder for the report")
    if target.is_dir():
        if not os.access(target, os.W_OK | os.X_OK):
            raise OutputError(
                target, "folder is not writable: fix its permissions or give another folder"
            )
        return
    _check_creatable(target)


def check_output_file(path: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` unless ``path`` names a file that can be (re)written.

    The file is replaced by a rename, so what must be writable is the folder holding it.
    """
    target = Path(path)
    if target.is_dir():
        example = display_name(target / "out.json")
        raise OutputError(target, f"is a folder, not a file: give a file name such as {example}")
    if target.exists() or target.is_symlink():
        folder = Path(os.path.realpath(target)).parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(
                target, f"cannot be replaced: the folder {display_name(folder)} is not writable"
            )
        return
    _check_creatable(target)


def _check_creatable(target: Path) -> None:
    """``target`` is missing: its nearest existing ancestor must be a writable folder."""
    if target.is_symlink():
        raise OutputError(target, "is a link to nothing: remove it or give another name")
    ancestor = target.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(target, f"cannot be created: {display_name(ancestor)} is a file")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(
            target, f"cannot be created: the folder {display_name(ancestor)} is not writable"
        )


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place.

    A link is followed, so that the file it points to is replaced and the link stays.
    """
    target = Path(os.path.realpath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target.parent, [target.name])
        tmp = _write_temp(target.parent, target.name, content)
        try:
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
    except OSError as exc:
        raise OutputError(path, f"cannot be written ({exc.strerror or exc})") from exc


def write_report_set(
    out_dir: str | os.PathLike[str],
    files: Mapping[str, Content] | Iterable[tuple[str, Content]],
) -> None:
    """Write ``files`` (name -> content, or ``(name, content)`` pairs as they come) as one
    set into the folder ``out_dir``.

    A name is a file name or ``folder/file`` (one level: the per-story reports); a
    folder of the set is the set's, replaced with it like its files. Pairs are taken
    one at a time and each file is written before the next pair is asked for, so a
    stream of per-story reports is never all in memory.

    The set is written into a new sibling folder; the entries of ``out_dir`` that are not
    ours are moved into it; then ``out_dir`` is renamed away, the new folder renamed in,
    and the old one deleted. An interruption leaves the old set complete (and the next
    write tidies up). Where the folder cannot be renamed (its parent is not writable, it
    is a mount point or the current folder) the files are all written to temporary names
    first and renamed into place one after the other: a mix can then be seen only for
    the instant between two renames.
    """
    pairs = files.items() if isinstance(files, Mapping) else files
    check_output_dir(out_dir)
    target = Path(os.path.realpath(out_dir))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if _can_swap(target):
            try:
                _swap_in(target, _checked(pairs))
                return
            except _SwapRefused as refused:
                if refused.staged is not None:
                    _replace_from(target, refused.staged, refused.names)
                    return
        _replace_in_place(target, _checked(pairs))
    except OSError as exc:
        raise OutputError(out_dir, f"cannot be written ({exc.strerror or exc})") from exc


def _can_swap(target: Path) -> bool:
    if not os.access(target.parent, os.W_OK | os.X_OK):
        return False
    if not target.exists():
        return True
    try:
        is_cwd = os.path.samefile(target, os.getcwd())
    except OSError:
        is_cwd = False
    return not is_cwd and not os.path.ismount(target)


def _swap_in(target: Path, pairs: Iterable[tuple[str, Content]]) -> None:
    existed = target.exists()
    stale = _stale_siblings(target)
    new = _make_sibling(target, "new")
    moved: list[tuple[Path, Path]] = []
    old: Path | None = None
    files: set[str] = set()
    try:
        if existed:
            _copy_folder_owner_and_mode(target, new)
        for name, content in pairs:
            (new / name).parent.mkdir(exist_ok=True)
            _create(new / name, content)
            files.add(name)
        for source in ([target] if existed else []) + stale:
            for entry in sorted(os.listdir(source)):
                dest = new / entry
                if _is_ours(entry, files) or dest.exists() or dest.is_symlink():
                    continue
                _rename(source / entry, dest)
                moved.append((source / entry, dest))
        if existed:
            old = _sibling_path(target, "old")
            _rename(target, old)
        _rename(new, target)
    except _SwapRefused as refused:
        _roll_back(target, new, old, moved, keep_new=True)
        refused.staged, refused.names = new, tuple(files)
        raise
    except BaseException:
        _roll_back(target, new, old, moved)
        raise
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    for folder in stale:
        try:
            leftover = [entry for entry in os.listdir(folder) if not _is_ours(entry, files)]
        except OSError:
            continue  # tidied away by someone else
        if not leftover:  # else a foreign file clashed with one of the same name: keep it
            shutil.rmtree(folder, ignore_errors=True)


def _rename(source: Path, dest: Path) -> None:
    try:
        os.rename(source, dest)
    except OSError as exc:
        if exc.errno in _SWAP_REFUSED:
            raise _SwapRefused(str(exc)) from exc
        raise


def _roll_back(
    target: Path,
    new: Path,
    old: Path | None,
    moved: list[tuple[Path, Path]],
    *,
    keep_new: bool = False,
) -> None:
    """Undo a swap that did not finish; keep the new folder if a foreign file is stuck in
    it (or if ``keep_new``, with the set's own files in it)."""
    if not new.exists():
        return  # the swap went through: nothing to undo
    try:
        if old is not None and old.exists() and not target.exists():
            os.rename(old, target)
        for source, dest in reversed(moved):
            os.rename(dest, source)
    except OSError:
        return  # left for the next write, which salvages the foreign files
    if not keep_new:
        shutil.rmtree(new, ignore_errors=True)


def _replace_from(target: Path, staged: Path, names: Iterable[str]) -> None:
    """Write in place the files already written to ``staged``, then remove it."""

    def copied(path: Path) -> Callable[[], Iterator[str]]:
        def pieces() -> Iterator[str]:
            with open(path, encoding="utf-8", newline="") as handle:
                while piece := handle.read(1 << 20):
                    yield piece

        return pieces

    try:
        _replace_in_place(target, ((name, copied(staged / name)) for name in names))
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _replace_in_place(target: Path, pairs: Iterable[tuple[str, Content]]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    names: list[str] = []
    try:
        for name, content in pairs:
            names.append(name)
            final = target / name
            final.parent.mkdir(exist_ok=True)
            staged.append((_write_temp(final.parent, final.name, content), final))
        # Left by an earlier write that was cut short (ours are fresh, never stale).
        _remove_stale_temps(target, sorted(_top_level(names)))
        for tmp, final in staged:
            os.replace(tmp, final)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target)


def _is_ours(entry: str, files: Iterable[str]) -> bool:
    """Whether a folder entry is one of the set's files or folders, or a temporary file of
    ours for one of them (those of a subfolder's files live in that subfolder)."""
    tops = _top_level(files)
    return entry in tops or any(
        re.fullmatch(_TEMP.format(name=re.escape(name)), entry) for name in tops
    )


def _top_level(files: Iterable[str]) -> set[str]:
    return {name.split("/", 1)[0] for name in files}


def _is_stale(path: Path) -> bool:
    """Old by its modification time: a live write keeps adding to its file or folder.

    (An ``old-`` folder renamed away by a live write may look stale; it holds only our
    files by then, so tidying it as well does no harm.)
    """
    return time.time() - path.lstat().st_mtime > STALE_AFTER_S


def _remove_stale_temps(folder: Path, names: list[str]) -> None:
    patterns = [re.compile(_TEMP.format(name=re.escape(name))) for name in names]
    try:
        with os.scandir(folder) as entries:
            listed = [entry for entry in entries if any(p.fullmatch(entry.name) for p in patterns)]
    except OSError:
        return  # a folder we may write but not list: tidying is a courtesy, not a duty
    for entry in listed:
        try:
            if entry.is_file(follow_symlinks=False) and _is_stale(Path(entry.path)):
                os.unlink(entry.path)
        except OSError:
            pass  # gone already


def _stale_siblings(target: Path) -> list[Path]:
    pattern = re.compile(_SIBLING.format(name=re.escape(target.name)))
    try:
        with os.scandir(target.parent) as entries:
            listed = [
                Path(entry.path)
                for entry in entries
                if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
            ]
        return sorted(path for path in listed if _is_stale(path))
    except OSError:
        return []


def _sibling_path(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"


def _make_sibling(target: Path, kind: str) -> Path:
    while True:
        path = _sibling_path(target, kind)
        try:
            os.mkdir(path, 0o777)  # the umask decides, as for any new folder
        except FileExistsError:
            continue
        return path


def _copy_folder_owner_and_mode(source: Path, dest: Path) -> None:
    info = source.stat()
    os.chmod(dest, stat.S_IMODE(info.st_mode))
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # not ours to give away: it stays ours
            os.chown(dest, info.st_uid, info.st_gid)


def _write_temp(folder: Path, name: str, content: Content) -> Path:
    while True:
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            _create(tmp, content)
        except FileExistsError:
            continue
        return tmp


def _create(path: Path, content: Content) -> None:
    """Create ``path`` (it must not exist) with mode 0666 less the umask, and sync it."""
    pieces = content() if callable(content) else content
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if isinstance(pieces, str):
                handle.write(pieces)
            else:
                for piece in pieces:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable; some file systems cannot sync a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
