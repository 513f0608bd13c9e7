"""Geometry for the dashboard's server-side SVG: the mix gauge and the weekly bar chart.

Presentation only: the numbers come from the mix service, this turns them into arc paths
and rectangles so the templates draw them without JavaScript (Jinja has no trigonometry).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from planner.services.mix.rules import MixResult
from planner.services.mix.service import WeekMix

# The gauge: a half circle, 0% on the left, 100% on the right.
GAUGE_CX, GAUGE_CY, GAUGE_R = 120.0, 120.0, 96.0
# The bar chart's viewBox and plot area.
CHART_W, CHART_H = 640, 250
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 36, 8, 14, 200


def _point(fraction: float, radius: float = GAUGE_R) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)
    return GAUGE_CX + radius * math.cos(angle), GAUGE_CY - radius * math.sin(angle)


def arc(start: float, end: float) -> str:
    """An SVG path along the gauge from `start` to `end` (fractions of the half circle)."""
    start, end = max(0.0, min(start, 1.0)), max(0.0, min(end, 1.0))
    if end - start < 1e-6:
        return ""
    (x1, y1), (x2, y2) = _point(start), _point(end)
    return f"M {x1:.2f} {y1:.2f} A {GAUGE_R:g} {GAUGE_R:g} 0 0 1 {x2:.2f} {y2:.2f}"


@dataclass(frozen=True)
class Gauge:
    track: str
    band: str
    value: str
    target_line: tuple[float, float, float, float]
    percent: str
    status: str
    band_text: str


def _percent(share: float) -> str:
    return f"{round(share * 100, 1):g}%"


def gauge(result: MixResult) -> Gauge:
    """The curated share on a half circle, with the target band and a target mark."""
    low = max(0.0, result.target - result.tolerance)
    high = min(1.0, result.target + result.tolerance)
    inner, outer = _point(result.target, GAUGE_R - 16), _point(result.target, GAUGE_R + 16)
    share = result.curated_share
    return Gauge(
        track=arc(0, 1),
        band=arc(low, high),
        value=arc(0, share) if share else "",
        target_line=(*inner, *outer),
        percent="—" if share is None else _percent(share),
        status=result.status,
        band_text=f"{_percent(low)}–{_percent(high)}",
    )


@dataclass(frozen=True)
class Bar:
    week: WeekMix
    x: float
    width: float
    curated_y: float
    curated_h: float
    own_y: float
    own_h: float
    target_y: float | None
    label: str
    total: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[tuple[int, float]]
    width: int = CHART_W
    height: int = CHART_H
    left: int = PLOT_LEFT
    right: int = CHART_W - PLOT_RIGHT
    bottom: int = PLOT_BOTTOM


def _scale_max(largest: int) -> tuple[int, int]:
    """A round top for the axis and a whole-number step, about four gridlines."""
    if largest <= 4:
        return 4, 1
    step = math.ceil(largest / 4)
    for nice in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if nice >= step:
            step = nice
            break
    return step * math.ceil(largest / step), step


def weekly_bars(weeks: Sequence[WeekMix]) -> BarChart:
    """Stacked bars per week: curated at the bottom, own on top, a mark at the target."""
    top, step = _scale_max(max((w.result.curated + w.result.own for w in weeks), default=0))
    height = PLOT_BOTTOM - PLOT_TOP
    slot = (CHART_W - PLOT_RIGHT - PLOT_LEFT) / max(len(weeks), 1)
    width = min(44.0, slot * 0.62)

    def y(count: float) -> float:
        return PLOT_BOTTOM - height * count / top

    bars = []
    for i, week in enumerate(weeks):
        curated, own = week.result.curated, week.result.own
        total = curated + own
        x = PLOT_LEFT + slot * i + (slot - width) / 2
        bars.append(
            Bar(
                week=week,
                x=round(x, 2),
                width=round(width, 2),
                curated_y=round(y(curated), 2),
                curated_h=round(PLOT_BOTTOM - y(curated), 2),
                own_y=round(y(total), 2),
                own_h=round(y(curated) - y(total), 2),
                target_y=round(y(total * week.result.target), 2) if total else None,
                label=f"{week.monday.day} {week.monday:%b}",
                total=total,
            )
        )
    ticks = [(value, round(y(value), 2)) for value in range(0, top + 1, step)]
    return BarChart(bars=bars, ticks=ticks)
