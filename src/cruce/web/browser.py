"""Debian's Chromium, headless, for pictures of pages and for reading what their scripts drew.

Never a browser a tool downloads; the flags keep it off the network (this machine's closed
network refuses Chromium's background connections) and out of any profile but a throwaway one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--virtual-time-budget=10000",  # let a page's scripts finish drawing
)


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


def run(page: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run Chromium headless on a local page with extra arguments (e.g. --dump-dom)."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("Debian's chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *arguments, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    """A picture of a local page as drawn, scripts included."""
    run(page, f"--window-size={width},{height}", f"--screenshot={png.resolve()}")


def figure_png(figure, png: Path) -> None:
    """A Plotly figure as a PNG of exactly its size: the figure alone, static (no toolbar),
    on a page without margins or scrollbars."""
    width, height = figure.layout.width or 1100, figure.layout.height or 600
    body = figure.to_html(
        include_plotlyjs=True, full_html=False, config={"staticPlot": True, "displayModeBar": False}
    )
    style = "<style>html,body{margin:0;padding:0;overflow:hidden}</style>"
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "figure.html"
        page.write_text(
            f"<!doctype html><html><head><meta charset='utf-8'>{style}</head>"
            f"<body>{body}</body></html>",
            "utf-8",
        )
        run(
            page,
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={png.resolve()}",
        )


def pdf(html: str) -> bytes:
    """A self-contained page printed to PDF with its print stylesheet. The page and the PDF
    live in a private temporary folder (mode 0700) that is removed before returning."""
    with tempfile.TemporaryDirectory() as folder:
        page, printed = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, "utf-8")
        result = run(page, "--no-pdf-header-footer", f"--print-to-pdf={printed}")
        if not printed.exists():
            raise RuntimeError(f"Chromium printed no PDF (exit {result.returncode})")
        return printed.read_bytes()


def rendered_dom(page: Path) -> str:
    """The page's DOM after its scripts ran."""
    return run(page, "--dump-dom").stdout


def launch(playwright):
    """Debian's Chromium under Playwright (never a browser Playwright downloads), for the
    end-to-end tests."""
    flags = [f for f in FLAGS if f != "--headless" and "virtual-time" not in f]
    return playwright.chromium.launch(executable_path=chromium(), args=flags)
