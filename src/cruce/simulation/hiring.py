"""What a run says about hiring: for each agency with a hiring directive in the horizon, the
years to reach its target (over replicates, and the share that never reach it within the
horizon), the applicants that took against DHS OIG-17-98-SR's estimate, and the cost; and a
chart of headcount against target with the published counts marked.

Everything is counted from the plan's ``origin``: the month the targets are funded (as
directed), else the first month a directive raises a target (as applied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from cruce.simulation.data import Datum, dated, datum, one, rows
from cruce.simulation.figures import source_line
from cruce.simulation.pipeline import METRICS, Prepared
from cruce.simulation.workforce import AGENCIES

LABEL = {"border_patrol": "Border Patrol agents", "ice": "ICE officers"}
# DHS OIG-17-98-SR's applicants needed for each directive's hires (data/cbp_hiring_metrics.csv).
OIG_METRIC = {
    "border_patrol": "applicants_needed_for_5000_bpa",
    "ice": "applicants_needed_for_10000_ice_officers",
}
QUANTILES = (0.05, 0.5, 0.95)


def _series(results: np.ndarray, stage: str, agency: str) -> np.ndarray:
    return results[:, METRICS.index(f"{stage}_{agency}"), :]


@dataclass(frozen=True)
class Outcome:
    """One agency's hiring over the replicates of a run, from the plan's origin."""

    agency: str
    origin: dt.date
    target: float
    reached: np.ndarray  # month index the target is first met, per replicate (-1: never)
    results: np.ndarray
    months: list[dt.date]

    @property
    def years(self) -> np.ndarray:
        """Years from the origin to the end of the month the target is met (NaN: never)."""
        start = self.months.index(self.origin)
        return np.where(self.reached >= 0, (self.reached - start + 1) / 12, np.nan)

    def _until(self, stage: str) -> np.ndarray:
        """A flow summed from the origin to the month the target is met (else the horizon)."""
        values = _series(self.results, stage, self.agency)
        start = self.months.index(self.origin)
        end = np.where(self.reached >= 0, self.reached, len(self.months) - 1)
        return np.array([v[start : e + 1].sum() for v, e in zip(values, end, strict=True)])

    def _from_origin(self, stage: str) -> np.ndarray:
        values = _series(self.results, stage, self.agency)
        return values[:, self.months.index(self.origin) :].sum(axis=1)

    def applicants(self) -> np.ndarray:
        return self._until("applicants")

    def added(self) -> np.ndarray:
        """Net agents added from the origin to the target (else to the horizon)."""
        staff = _series(self.results, "headcount", self.agency)
        start = self.months.index(self.origin)
        end = np.where(self.reached >= 0, self.reached, len(self.months) - 1)
        before = staff[:, start - 1] if start else staff[:, 0]
        return staff[np.arange(len(staff)), end] - before

    def measures(self) -> dict[str, np.ndarray]:
        """Each measure over the replicates, in the order the tables show them."""
        added = self.added()
        found = {
            "applicants to the target (or the horizon)": self.applicants(),
            "net agents added to the target (or the horizon)": added,
            # comparable with OIG's applicants per agent only where the target is met
            "applicants per agent added (replicates that meet the target)": np.where(
                (self.reached >= 0) & (added > 0),
                self.applicants() / np.maximum(added, 1.0),
                np.nan,
            ),
            "hires from the origin to the horizon": self._from_origin("hires"),
            "losses from the origin to the horizon": self._from_origin("losses"),
            "of which to other agencies": self._from_origin("losses_to_other_agencies"),
            "salary cost, USD": self._from_origin("salary_cost_usd"),
            "recruitment cost, USD": self._from_origin("recruitment_cost_usd"),
        }
        if self.agency != "border_patrol":  # the Accenture contract hired for CBP only
            return found
        contract_hires = self._from_origin("contract_hires")
        contract_cost = self._from_origin("contract_cost_usd")
        return found | {
            "contract cost, USD": contract_cost,
            "contract hires": contract_hires,
            "contract cost per contract hire, USD": np.where(
                contract_hires > 0, contract_cost / np.maximum(contract_hires, 1e-9), np.nan
            ),
        }


def outcomes(results: np.ndarray, prepared: Prepared) -> list[Outcome]:
    """Each agency whose target a directive raises within the horizon."""
    months = prepared.inputs.months
    found = []
    for agency in AGENCIES:
        plan = prepared.directives[agency]
        if plan.origin is None:
            continue
        target = prepared.agencies[agency].baseline_target + plan.officers
        staff = _series(results, "headcount", agency)
        met = (staff >= target - 0.5) & (np.arange(len(months)) >= plan.origin)
        reached = np.where(met.any(axis=1), met.argmax(axis=1), -1)
        found.append(Outcome(agency, months[plan.origin], target, reached, results, months))
    return found


def oig_estimate(agency: str) -> Datum:
    """OIG-17-98-SR's applicants needed for the directive's hires, with its row."""
    metric = OIG_METRIC[agency]
    return one("cbp_hiring_metrics", metric.replace("_", " "), lambda r: r["metric"] == metric)


def _band(values: np.ndarray) -> dict[str, float | None]:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return {"p05": None, "p50": None, "p95": None}
    low, mid, high = np.quantile(finite, QUANTILES)
    return {"p05": float(low), "p50": float(mid), "p95": float(high)}


def years_text(outcome: Outcome) -> str:
    """Years to target as people read them: a band over the replicates that reach it, and the
    share that does not within the horizon."""
    years = outcome.years
    never = float(np.isnan(years).mean())
    horizon = outcome.months[-1].strftime("%Y-%m")
    beyond = f"not within the horizon (to {horizon}) in {never:.0%} of replicates"
    if never == 1.0:
        return beyond
    band = _band(years)
    text = f"{band['p50']:.1f} ({band['p05']:.1f}–{band['p95']:.1f}) years"
    return f"{beyond}; the others {text}" if never else text


def summary(results: np.ndarray, prepared: Prepared, scenario: str) -> pl.DataFrame:
    """One row per agency and measure: median and 5–95% band over replicates, with a text."""
    out = []
    for outcome in outcomes(results, prepared):
        base = {"scenario": scenario, "agency": outcome.agency}
        origin = outcome.origin.strftime("%Y-%m")
        out.append(
            base
            | {"measure": "target", "p05": outcome.target, "p50": outcome.target}
            | {"p95": outcome.target, "text": f"{outcome.target:,.0f}", "row": ""}
        )
        out.append(
            base
            | {"measure": "counted from", "p05": None, "p50": None, "p95": None}
            | {"text": origin, "row": ""}
        )
        out.append(
            base
            | {"measure": "years to target"}
            | _band(outcome.years)
            | {"text": years_text(outcome), "row": ""}
        )
        published = oig_estimate(outcome.agency)
        out.append(
            base
            | {"measure": "published: applicants needed (DHS OIG-17-98-SR)"}
            | {"p05": published.value, "p50": published.value, "p95": published.value}
            | {"text": f"{published.value:,.0f}", "row": published.ref}
        )
        for measure, values in outcome.measures().items():
            band = _band(values)
            text = "—" if band["p50"] is None else _text(band)
            out.append(base | {"measure": measure} | band | {"text": text, "row": ""})
    schema = {
        "scenario": pl.String,
        "agency": pl.String,
        "measure": pl.String,
        "p05": pl.Float64,
        "p50": pl.Float64,
        "p95": pl.Float64,
        "text": pl.String,
        "row": pl.String,
    }
    return pl.DataFrame(out, schema=schema)


def _text(band: dict[str, float | None]) -> str:
    assert band["p50"] is not None and band["p05"] is not None and band["p95"] is not None
    return f"{band['p50']:,.0f} ({band['p05']:,.0f}–{band['p95']:,.0f})"


def comparison(summaries: list[pl.DataFrame]) -> pl.DataFrame:
    """The scenarios' hiring measures side by side (an agency and measure per row)."""
    wide = None
    for table in summaries:
        name = table["scenario"][0] if table.height else None
        if name is None:
            continue
        part = table.select("agency", "measure", pl.col("text").alias(name))
        wide = (
            part
            if wide is None
            else wide.join(
                part, on=["agency", "measure"], how="full", coalesce=True, maintain_order="left"
            )
        )
    return wide if wide is not None else pl.DataFrame({"agency": [], "measure": []})


# What the added officers change, replicate by replicate: totals over the horizon (flows), the
# value at its end (stocks) or the mean over it.
CHANGES = {
    "headcount_border_patrol": "last",
    "headcount_ice": "last",
    "salary_cost_usd_border_patrol": "sum",
    "salary_cost_usd_ice": "sum",
    "recruitment_cost_usd_border_patrol": "sum",
    "recruitment_cost_usd_ice": "sum",
    "contract_cost_usd_border_patrol": "sum",
    "interior_arrests": "sum",
    "detention_population": "mean",
    "released_for_lack_of_beds": "sum",
    "court_backlog": "last",
}


def differences(
    first: tuple[str, np.ndarray], second: tuple[str, np.ndarray]
) -> pl.DataFrame | None:
    """First scenario minus second, replicate by replicate: with the same seed and parameter
    distributions, replicate ``i`` of both draws the same parameters (common random numbers),
    so each difference is what the scenarios' hiring alone changes. None when the runs are not
    paired (different replicate counts)."""
    (name_a, a), (name_b, b) = first, second
    if a.shape != b.shape:
        return None
    out = []
    for metric, how in CHANGES.items():
        i = METRICS.index(metric)
        per = {"sum": lambda v: v.sum(axis=1), "last": lambda v: v[:, -1]}
        reduce = per.get(how, lambda v: v.mean(axis=1))
        band = _band(reduce(a[:, i, :]) - reduce(b[:, i, :]))
        out.append(
            {"metric": metric, "over_horizon": how} | {f"{name_a} − {name_b}": _signed(band)}
        )
    return pl.DataFrame(out)


def _signed(band: dict[str, float | None]) -> str:
    assert band["p50"] is not None and band["p05"] is not None and band["p95"] is not None
    return f"{band['p50']:+,.0f} ({band['p05']:+,.0f} to {band['p95']:+,.0f})"


def published_counts(agency: str) -> list[tuple[dt.date, Datum]]:
    """The published headcounts the chart marks: dated rows of the staffing tables."""
    if agency == "ice":
        return dated(
            "enforcement_staffing",
            "ICE deportation officers",
            lambda r: r["agency"] == "ICE ERO" and r["metric"] == "deportation_officers",
        )
    points = dated(
        "enforcement_staffing",
        "Border Patrol agents",
        lambda r: r["agency"] == "USBP" and r["metric"] == "agents_total",
    )
    for row in rows(
        "border_patrol_staffing_by_sector", lambda r: r["sector"] == "nationwide total"
    ):
        found = datum(
            "border_patrol_staffing_by_sector",
            row,
            row["number_of_agents"],
            "Border Patrol agents, nationwide",
        )
        points.append((dt.date(row["fiscal_year"], 9, 30), found))
    return sorted(points, key=lambda p: p[0])


COLOURS = ("#b3261e", "#1f5fa8", "#2e7d32", "#8e24aa")


def figure(runs: list[tuple[str, np.ndarray, Prepared]]):
    """Headcount by month against target, one panel per agency: each scenario's median and
    5–95% band, its target dashed, the published counts as points (hover: their rows)."""
    from plotly.subplots import make_subplots

    chart = make_subplots(rows=1, cols=2, subplot_titles=[LABEL[a] for a in AGENCIES])
    for s, (name, results, prepared) in enumerate(runs):
        colour = COLOURS[s % len(COLOURS)]
        months = prepared.inputs.months
        for col, agency in enumerate(AGENCIES, start=1):
            staff = _series(results, "headcount", agency)
            low, mid, high = np.quantile(staff, QUANTILES, axis=0)
            chart.add_scatter(
                x=months + months[::-1],
                y=list(high) + list(low[::-1]),
                fill="toself",
                fillcolor=colour,
                opacity=0.18,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                row=1,
                col=col,
            )
            chart.add_scatter(
                x=months,
                y=mid,
                name=name,
                line={"color": colour},
                showlegend=col == 1,
                row=1,
                col=col,
            )
            target = np.median(_series(results, "target", agency), axis=0)
            chart.add_scatter(
                x=months,
                y=target,
                name=f"{name}: target",
                line={"color": colour, "dash": "dash"},
                showlegend=col == 1,
                row=1,
                col=col,
            )
    first, last = runs[0][2].inputs.months[0], runs[0][2].inputs.months[-1]
    refs: list[str] = []
    for col, agency in enumerate(AGENCIES, start=1):
        points = [p for p in published_counts(agency) if first <= p[0] <= last]
        refs += [p[1].ref for p in points]
        chart.add_scatter(
            x=[p[0] for p in points],
            y=[p[1].value for p in points],
            mode="markers",
            marker={"color": "black", "size": 8, "symbol": "diamond"},
            name="published count",
            text=[p[1].ref for p in points],
            hovertemplate="%{x}: %{y:,.0f} (%{text})<extra></extra>",
            showlegend=col == 1,
            row=1,
            col=col,
        )
    for col, agency in enumerate(AGENCIES, start=1):
        chart.update_yaxes(title_text=f"{LABEL[agency]} on board", row=1, col=col)
        chart.update_xaxes(title_text="month", row=1, col=col)
    chart.update_layout(
        title="Headcount against the 2017 targets: median and 5–95% band over replicates; "
        "dashed: target; diamonds: published counts",
        template="plotly_white",
        width=1200,
        height=660,
        legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
        margin={"b": 170},
    )
    # The rows' files, once each in the order first met (each point's row is in its hover).
    files = dict.fromkeys(ref.split(" line ")[0] for ref in refs)
    names = ", ".join(f"{n} ({r.shape[0]} replicates)" for n, r, _ in runs)
    return source_line(
        chart,
        f"Source: Cruce simulation of {names}.<br>Published counts: {', '.join(files)} "
        "(src/cruce/data/SOURCES.md; each point's row in its hover); method: "
        "docs/methods.md#hiring",
        -0.31,
    )
