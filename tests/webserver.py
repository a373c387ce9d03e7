"""The real web desk on 127.0.0.1: uvicorn in a background thread on a free port.

``running_desk(db)`` starts the app over an existing store (``build_store`` makes one
from the bundled samples, their follow-ups and, when present, the public seeds), waits
until the port accepts connections, yields ``(base_url, token)`` and stops the server
after. It binds to 127.0.0.1 only; nothing here reaches another host.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import uvicorn

from copydesk.desk import Desk
from copydesk.web import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FOLLOWUP = ROOT / "samples-followup"
SEEDS = ROOT.parent / "shared" / "seeds"
HOST = "127.0.0.1"
TOKEN = "browser-test-token-0123456789"


def seed_files() -> list[Path]:
    """The five public seed articles, read where they are (never copied here)."""
    return sorted(SEEDS.glob("0*.txt"))


def build_store(db: Path, extra: Iterable[str | Path] = (), *, seeds: bool = True) -> Path:
    """A store at ``db`` with the samples, the follow-ups, the seeds (when present and
    ``seeds``) and ``extra`` inputs."""
    inputs = [str(SAMPLES), str(FOLLOWUP), *(str(p) for p in extra)]
    if seeds:
        inputs += [str(p) for p in seed_files()]
    with Desk(db) as desk:
        desk.add(inputs)
    return db


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_listening(port: int, server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the web desk's server thread ended before it listened")
        if server.started:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
                return
        time.sleep(0.02)
    raise RuntimeError(f"the web desk did not accept connections on {HOST}:{port} in 20 s")


@contextlib.contextmanager
def running_desk(
    db: Path, *, token: str = TOKEN, port: int | None = None, **app_options: int
) -> Iterator[tuple[str, str]]:
    """Serve the store at ``db`` on 127.0.0.1 while the block runs; yields
    ``(base_url, token)``, the base URL without a trailing slash."""
    port = port or free_port()
    app = create_app(db, token=token, **app_options)
    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)  # off the main thread it installs no signal handlers
    thread = threading.Thread(target=server.run, name=f"copydesk-web-{port}", daemon=True)
    thread.start()
    try:
        _wait_until_listening(port, server, thread)
        yield f"http://{HOST}:{port}", token
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def screenshot(out: Path, *, front: Path | None = None, height: int = 900) -> None:
    """The top of the samples' dock-strike story page, 1200 px wide, as a PNG at
    ``out`` (and the front page at ``front``), from the real page in Chromium."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = build_store(Path(tmp) / "desk.db", seeds=False)
        with Desk(db) as desk:
            story = desk.story_of("01_wire_original")
        with running_desk(db) as (base, _), sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            )
            page = browser.new_page(viewport={"width": 1200, "height": height})
            shots = [(f"/stories/{story}", out)] + ([("/", front)] if front else [])
            for path, where in shots:
                page.goto(base + path, wait_until="load")
                where.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(where), full_page=False)
                print(f"{where}: {where.stat().st_size:,} bytes of {base}{path}")
            browser.close()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Screenshots of the web desk's pages.")
    parser.add_argument("--story", type=Path, default=ROOT / "docs" / "story-page.png")
    parser.add_argument("--front", type=Path, default=None)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    screenshot(args.story, front=args.front, height=args.height)
