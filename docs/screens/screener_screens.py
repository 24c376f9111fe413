"""Renders the README's screener pictures (docs/screens/interview-*.png, result-*.png): the
Honduran mother of issue 13, answered in process topic by topic, drawn by headless Chromium
(cruce.web.browser). Run: PYTHONPATH=src python docs/screens/screener_screens.py"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cruce.web import browser, screener
from cruce.web.people import PEOPLE
from cruce.web.render import render

HERE = Path(__file__).parent
MOTHER = {k: v for k, v in PEOPLE["mother"].items() if k != "decide_at"}  # the form sets it


def answered(lang: str, topics: int | None = None) -> dict[str, list[str]]:
    """The form after ``topics`` topics are answered (all of them when None)."""
    form: dict[str, list[str]] = {"decide_at": [PEOPLE["mother"]["decide_at"]], "_asked": [""]}
    for _ in range(topics if topics is not None else 20):
        asking = screener._context(form, lang)["asking"]
        if not asking:
            break
        names = [q["name"] for q in asking]
        form["_asked"] = [",".join(filter(None, [form["_asked"][0], *names]))]
        for name in names:
            value = MOTHER.get(name, "unknown")
            form[name] = value if isinstance(value, list) else [value]
    return form


def draw(form: dict[str, list[str]], lang: str, png: Path, height: int) -> None:
    html = screener._standalone(render("screener.html", **screener._context(form, lang)))
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, "utf-8")
        browser.run(
            page,
            "--hide-scrollbars",
            "--window-size=1100," + str(height),
            f"--screenshot={png.resolve()}",
        )


if __name__ == "__main__":
    for lang in ("en", "es"):
        draw(answered(lang, 3), lang, HERE / f"interview-{lang}.png", 1300)
        draw(answered(lang), lang, HERE / f"result-{lang}.png", 1700)
