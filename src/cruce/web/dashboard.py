"""The scenario dashboard page: choose or edit a scenario, run it with progress, see the bands,
compare two; and exposure to expedited removal with every population assumption as a control
(``POST /v1/exposure``). The page (``templates/dashboard.html``, ``static/dashboard.js``) talks to
``POST /v1/simulations``; Plotly's JavaScript is served from the installed package
(``/static/plotly.min.js``), never a CDN."""

from __future__ import annotations

from pathlib import Path

from cruce.population.synthetic import SETTABLE, Assumptions
from cruce.simulation.report import COLOURS, DASHED, PANELS, UNITS
from cruce.simulation.scenario import shipped_scenarios
from cruce.web.render import render

# The instants the exposure form starts with: before 2017, the 2019 full-scope designation, 2025.
EXPOSURE_POINTS = "2016-06-01, 2019-08-01, 2025-03-01"


def plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def assumption_controls() -> list[dict[str, object]]:
    """One control per settable population share: its name, words and default."""
    defaults = Assumptions().to_dict()
    return [{"name": n, "words": w, "default": defaults[n]} for n, w in SETTABLE.items()]


def page() -> str:
    panels = [[m, t, DASHED.get(m), UNITS[m]] for m, t in PANELS]
    return render(
        "dashboard.html",
        scenarios=shipped_scenarios(),
        panels=panels,
        colours=COLOURS,
        assumptions=assumption_controls(),
        exposure_points=EXPOSURE_POINTS,
    )
