"""Renders the README's screener pictures (docs/screens/interview-*.png, result-*.png): the
Honduran mother of issue 13, answered in process topic by topic, drawn by headless Chromium
(cruce.web.browser). Run: PYTHONPATH=src python docs/screens/screener_screens.py"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cruce.web import browser, screener
from cruce.web.render import render

HERE = Path(__file__).parent
MOTHER = {
    "nationalities": ["HN"],
    "native_country": "HN",
    "habitual_residence_country": "HN",
    "date_of_birth": "1995-03-02",
    "is_us_citizen": "false",
    "has_lawful_immigration_status": "false",
    "was_admitted": "false",
    "entry_mode": "LAND_BETWEEN_POES",
    "last_entry_date": "2025-06-03",
    "encounter_datetime": "2025-06-03",
    "encounter_distance_to_land_border_air_miles": "2",
    "encountered_upon_arrival_at_or_near_border": "true",
    "contiguous_country_arrived_from": "MX",
    "continuous_presence_established_since": "none",
    "expressed_fear_or_asylum_intent": "true",
    "fear_of_return_to_mexico": "true",
}


def answered(lang: str, topics: int | None = None) -> dict[str, list[str]]:
    """The form after ``topics`` topics are answered (all of them when None)."""
    form: dict[str, list[str]] = {"decide_at": ["2025-06-10"], "_asked": [""]}
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
