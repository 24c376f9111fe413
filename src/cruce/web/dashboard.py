"""The scenario dashboard page: choose or edit a scenario, run it with progress, see the bands,
compare two. The page (``templates/dashboard.html``, ``static/dashboard.js``) talks to
``POST /v1/simulations``; Plotly's JavaScript is served from the installed package
(``/static/plotly.min.js``), never a CDN."""

from __future__ import annotations

from pathlib import Path

from cruce.simulation.report import COLOURS, DASHED, PANELS
from cruce.simulation.scenario import shipped_scenarios
from cruce.web.render import render


def plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def page() -> str:
    panels = [[m, t, DASHED.get(m)] for m, t in PANELS]
    return render("dashboard.html", scenarios=shipped_scenarios(), panels=panels, colours=COLOURS)
