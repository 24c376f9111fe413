"""Renders the README's dashboard picture (docs/screens/dashboard.png): the scenario dashboard
served by the app, kelly-2017-as-applied compared with kelly-2017-as-directed at 8 replicates,
then the exposure panel computed with its default assumptions (20,000 persons), drawn by
Debian's Chromium (cruce.web.browser) and photographed from the top through the run's charts.
Run: PYTHONPATH=src python docs/screens/dashboard_screens.py"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from cruce.web import browser
from cruce.web.api import app

HERE = Path(__file__).parent


def serve() -> tuple[str, uvicorn.Server]:
    """The app on a free loopback port, in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def draw(address: str, png: Path) -> None:
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{address}/scenarios")
        page.get_by_label("Scenario", exact=True).select_option("kelly-2017-as-applied")
        page.get_by_label("Compare with (optional)").select_option("kelly-2017-as-directed")
        page.get_by_label("Replicates").fill("8")
        page.get_by_role("button", name="Run").click()
        page.locator("#status", has_text="Done").wait_for(timeout=300_000)
        page.get_by_label("Synthetic persons").select_option("20000")
        page.get_by_role("button", name="Compute exposure").click()
        page.wait_for_selector("#exposure-chart .main-svg", timeout=300_000)
        page.mouse.move(0, 0)  # no chart hovered: no toolbar in the picture
        page.evaluate("window.scrollTo(0, 0)")  # the box is measured from the page's top
        # From the top through the charts: the tables below are text, shown in full on the page.
        box = page.locator("#charts").bounding_box()
        assert box is not None
        bottom = box["y"] + box["height"] + 20
        page.screenshot(
            path=str(png), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": bottom}
        )
        chromium.close()


if __name__ == "__main__":
    address, server = serve()
    draw(address, HERE / "dashboard.png")
    server.should_exit = True
