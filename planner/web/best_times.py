"""Best times on the persona page: the weekday x hour heat map and "Apply" (issue 14).

The numbers come from `services/engagement/best_times_service`; this module only lays the
heat map out (rectangles and class names for server-side SVG, no inline styles: CSP) and
runs the apply form: current -> new windows shown first, then saved through the persona
service, so the persona's revision goes up like any edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.services.engagement import best_times_service
from planner.services.engagement.best_times import DAY_NAMES, BestTimes
from planner.services.versions import StaleVersion
from planner.web import stale
from planner.web.guards import actor, member_required
from planner.web.personas import bp

# The SVG's grid: a label column and row, then 24 x 7 cells.
CELL, LEFT, TOP = 22, 40, 18
# A cell's shade: its pooled rate against the average (below 0.85 x lightest, 1.5 x darkest).
LEVEL_EDGES = (0.85, 0.95, 1.1, 1.5)
WIDTH, HEIGHT = LEFT + 24 * CELL + 2, TOP + 7 * CELL + 2


@dataclass(frozen=True)
class HeatCell:
    x: int
    y: int
    level: str  # the CSS class: heat-none, heat-1 (far below average) ... heat-5
    label: str  # "Tue 09:00–10:00: 4.4% (5 posts)"
    rate: str  # "4.4%", or "" without posts


@dataclass(frozen=True)
class Band:
    """A window drawn over the map: one rectangle per day it covers."""

    x: float
    y: int
    width: float


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _level(rate: float, average: float | None, posts: int) -> str:
    if posts == 0:
        return "heat-none"
    if average is None or average <= 0:
        return "heat-3"
    ratio = rate / average
    return f"heat-{1 + sum(ratio >= edge for edge in LEVEL_EDGES)}"


def heat_cells(result: BestTimes) -> list[HeatCell]:
    cells = []
    for cell in result.cells:
        shown = cell.rate if result.enough_data else cell.observed
        posts = f"{cell.posts} post{'s' if cell.posts != 1 else ''}"
        cells.append(
            HeatCell(
                x=LEFT + cell.hour * CELL,
                y=TOP + cell.weekday * CELL,
                level=_level(cell.rate, result.average, cell.posts),
                label=f"{cell.label}: {_percent(shown) or 'no posts'}"
                + (f" ({posts})" if cell.posts else ""),
                rate=_percent(shown) if cell.posts else "",
            )
        )
    return cells


def bands(windows: list[dict]) -> list[Band]:
    """Rectangles for windows in the persona file's shape; one crossing midnight wraps."""
    found = []
    for window in windows:
        start, end = _hours(str(window.get("start", "0:00"))), _hours(str(window.get("end", "0")))
        for day in window.get("days") or ():
            if str(day)[:3] not in DAY_NAMES:
                continue
            row = DAY_NAMES.index(str(day)[:3])
            parts = [(row, start, end)] if end > start else [(row, start, 24.0)]
            if end <= start and end > 0:
                parts.append(((row + 1) % 7, 0.0, end))
            found += [Band(LEFT + a * CELL, TOP + r * CELL, (b - a) * CELL) for r, a, b in parts]
    return found


def _hours(text: str) -> float:
    hours, _, minutes = text.partition(":")
    try:
        return int(hours) + int(minutes or 0) / 60
    except ValueError:
        return 0.0


def _report(persona_id: int):
    return best_times_service.best_times(
        db.session, actor(), persona_id, channel=request.values.get("channel") or None
    )


@bp.get("/<int:persona_id>/best-times")
@member_required
def best_times(persona_id: int):
    report = _report(persona_id)
    context = {
        "persona": report.persona,
        "report": report,
        "cells": heat_cells(report.result),
        "current_bands": bands(list(report.persona.posting_windows or ())),
        "suggested_bands": bands([w.as_window() for w in report.result.windows]),
        "grid": {"width": WIDTH, "height": HEIGHT, "cell": CELL, "left": LEFT, "top": TOP},
        "days": DAY_NAMES,
        "percent": _percent,
        "min_posts": best_times_service.MIN_POSTS,
    }
    if request.headers.get("HX-Request"):  # loaded into the persona page
        return render_template("personas/_best_times.html", **context)
    return render_template("personas/best_times.html", **context)


def _pick() -> int | None:
    raw = (request.values.get("window") or "all").strip()
    if raw == "all":
        return None
    if not raw.isdecimal() or len(raw) > 3:
        raise ValidationError("Pick a suggested window.", {"window": "not a suggestion"})
    return int(raw)


@bp.route("/<int:persona_id>/best-times/apply", methods=["GET", "POST"])
@member_required
def best_times_apply(persona_id: int):
    actor().require("editor", "edit personas")
    mode = request.values.get("mode", "add")
    if request.method == "POST":
        return _save(persona_id, mode)
    report = _report(persona_id)
    current, proposed = best_times_service.plan_windows(report, _pick(), mode)
    return render_template(
        "personas/best_times_apply.html",
        persona=report.persona,
        report=report,
        mode=mode,
        window=request.args.get("window", "all"),
        current=current,
        proposed=proposed,
        proposed_json=json.dumps(proposed),
    )


def _save(persona_id: int, mode: str):
    back = url_for(
        "personas.best_times_apply",
        persona_id=persona_id,
        window=request.form.get("window", "all"),
        mode=mode,
        channel=request.form.get("channel") or None,
    )
    try:
        windows = json.loads(request.form.get("windows", ""))
    except ValueError:
        windows = None
    if not isinstance(windows, list):
        raise ValidationError("The form is damaged; reload the page.", {"windows": "not a list"})
    try:
        persona = best_times_service.apply_windows(
            db.session,
            actor(),
            persona_id,
            windows,
            expected_revision=stale.form_version("revision"),
        )
        db.session.commit()
    except StaleVersion:
        db.session.rollback()
        flash("Someone changed this persona since you looked: check the change again.", "warning")
        return redirect(back)
    flash(f"Saved {persona.name}'s posting windows.", "success")
    return redirect(url_for("personas.detail", persona_id=persona.id))
