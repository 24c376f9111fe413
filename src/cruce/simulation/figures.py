"""What every chart of a run carries besides its data: the line under it saying where its
numbers come from (a chart without one cannot be checked)."""

from __future__ import annotations

from typing import Any


def source_line(figure: Any, text: str, y: float) -> Any:
    """``figure`` with ``text`` under its plot, left-aligned at ``y`` (paper coordinates:
    0 is the bottom of the lowest plot, so a negative ``y`` sits below the axes and legend)."""
    return figure.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#444"},
    )
