"""Best posting times from past results: engagement rate by weekday x hour, with doubt.

Pure: plain posts in, plain cells and windows out; no database, no Flask (issue 14, part 2).

Each post's engagement rate (engagements / impressions) lands in the cell of the weekday
and hour the *persona's* wall clock showed when it went out (`astimezone` per post, so a
daylight-saving week moves nothing). A cell's rate is a Beta posterior pooled towards the
average of all posts, so an hour with two lucky posts does not outrank one with twenty:

- one post is worth `kappa` Bernoulli trials (at most its impressions), where `kappa` is
  read off how much posts in the same cell differ (method of moments on the within-cell
  variance): impressions alone would make every cell look certain;
- the prior is the overall average with the weight of `PRIOR_POSTS` posts;
- `lower` is the posterior mean minus `Z` standard deviations (a one-sided 95% bound).

An hour is *good* when its lower bound beats the average. Good hours next to each other
on one day make a window when it holds at least `MIN_WINDOW_POSTS` posts and all its
posts together still beat the average; windows are ranked by that lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Below this many posts with impressions there is no answer, only "N more needed".
MIN_POSTS = 50
# How many posts' worth of weight the overall average has in every cell.
PRIOR_POSTS = 4.0
# One-sided 95% normal quantile for the lower bound.
Z = 1.645
MAX_WINDOWS = 6
# A window needs this many posts, however lucky one post was: its spread is unknown.
MIN_WINDOW_POSTS = 3
# Bounds on the trials one post is worth: identical posts would make it infinite.
_KAPPA_RANGE = (2.0, 100_000.0)


class PostLike(Protocol):
    """What the computation reads of a post: a `Post`, or a database row with these names."""

    @property
    def published_at(self) -> datetime: ...
    @property
    def impressions(self) -> int | None: ...
    @property
    def engagements(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Post:
    """One published post's results; `published_at` is timezone-aware."""

    published_at: datetime
    impressions: int | None
    engagements: int | None

    @property
    def rate(self) -> float | None:
        """Engagements per impression, capped at 1; None when it cannot be known."""
        if not self.impressions or self.impressions <= 0 or self.engagements is None:
            return None
        return min(max(self.engagements, 0) / self.impressions, 1.0)


@dataclass(frozen=True, slots=True)
class Cell:
    """One weekday x hour of the persona's week (weekday 0 = Monday)."""

    weekday: int
    hour: int
    posts: int
    rate: float  # pooled posterior mean
    lower: float
    observed: float | None  # the plain mean of its posts' rates

    @property
    def label(self) -> str:
        return f"{DAY_NAMES[self.weekday].title()} {self.hour:02d}:00–{(self.hour + 1) % 24:02d}:00"


@dataclass(frozen=True, slots=True)
class BestWindow:
    """A suggested posting window in the persona file's shape, with its support."""

    days: tuple[str, ...]
    start: str
    end: str
    rate: float
    lower: float
    posts: int

    def to_dict(self) -> dict[str, object]:
        return {
            "days": list(self.days),
            "start": self.start,
            "end": self.end,
            "rate": round(self.rate, 6),
            "lower": round(self.lower, 6),
            "posts": self.posts,
        }

    def as_window(self) -> dict[str, object]:
        """The persona file's window: `{"days", "start", "end"}`."""
        return {"days": list(self.days), "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class BestTimes:
    """The answer for one persona (and channel): cells for the heat map, ranked windows."""

    timezone: str
    posts: int  # posts with a rate (impressions and engagements)
    enough_data: bool
    needed: int  # more posts needed before an answer; 0 when enough
    average: float | None
    cells: tuple[Cell, ...]  # 7 x 24, Monday 00:00 first
    windows: tuple[BestWindow, ...]

    def cell(self, weekday: int, hour: int) -> Cell:
        return self.cells[weekday * 24 + hour]

    def hour_ranks(self) -> tuple[tuple[int, int], ...]:
        """The (weekday, hour) pairs of the suggested windows, best window first."""
        ranked: list[tuple[int, int]] = []
        for window in self.windows:
            first, last = int(window.start[:2]), int(window.end[:2]) or 24
            for day in window.days:
                ranked.extend((DAY_NAMES.index(day), h) for h in range(first, last))
        return tuple(ranked)


def compute_best_times(
    posts: Iterable[PostLike], timezone: str, *, min_posts: int = MIN_POSTS
) -> BestTimes:
    """Rate every hour of the persona's week and suggest windows, best first."""
    zone = ZoneInfo(timezone)
    rates: list[list[float]] = [[] for _ in range(7 * 24)]
    weights: list[list[float]] = [[] for _ in range(7 * 24)]
    for post in posts:
        impressions, engagements = post.impressions, post.engagements
        if not impressions or impressions <= 0 or engagements is None:
            continue  # `Post.rate` inlined: this loop runs once per row
        local = post.published_at.astimezone(zone)
        index = local.weekday() * 24 + local.hour
        rates[index].append(min(max(engagements, 0) / impressions, 1.0))
        weights[index].append(float(impressions))
    count = sum(len(r) for r in rates)
    if count < max(min_posts, 1):
        empty = tuple(
            Cell(i // 24, i % 24, len(rates[i]), 0.0, 0.0, _mean(rates[i])) for i in range(168)
        )
        return BestTimes(timezone, count, False, max(min_posts, 1) - count, None, empty, ())
    average = sum(sum(r) for r in rates) / count
    kappa = _trials_per_post(rates, average, count)
    prior = PRIOR_POSTS * kappa
    cells = tuple(
        _cell(i // 24, i % 24, rates[i], weights[i], average, kappa, prior) for i in range(168)
    )
    windows = _windows(cells, rates, weights, average, kappa, prior)
    return BestTimes(timezone, count, True, 0, average, cells, windows)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _trials_per_post(rates: Sequence[Sequence[float]], average: float, count: int) -> float:
    """How many Bernoulli trials one post is worth, from the spread inside cells."""
    squares, free = 0.0, 0
    for cell in rates:
        if len(cell) > 1:
            mean = sum(cell) / len(cell)
            squares += sum((r - mean) ** 2 for r in cell)
            free += len(cell) - 1
    if free == 0:  # no cell has two posts: use the spread of all posts
        squares = sum((r - average) ** 2 for cell in rates for r in cell)
        free = count - 1
    variance = squares / free if free > 0 else 0.0
    if variance <= 0:
        return _KAPPA_RANGE[1]
    kappa = average * (1 - average) / variance - 1
    return min(max(kappa, _KAPPA_RANGE[0]), _KAPPA_RANGE[1])


def _posterior(
    rates: Iterable[float], weights: Iterable[float], average: float, kappa: float, prior: float
) -> tuple[float, float]:
    """Return the pooled mean and lower bound of a set of posts."""
    alpha, beta = average * prior, (1 - average) * prior
    for rate, impressions in zip(rates, weights, strict=True):
        trials = min(impressions, kappa)
        alpha += rate * trials
        beta += (1 - rate) * trials
    total = alpha + beta
    if total <= 0:
        return average, 0.0
    mean = alpha / total
    spread = math.sqrt(mean * (1 - mean) / (total + 1))
    return mean, max(0.0, mean - Z * spread)


def _cell(
    weekday: int,
    hour: int,
    rates: Sequence[float],
    weights: Sequence[float],
    average: float,
    kappa: float,
    prior: float,
) -> Cell:
    mean, lower = _posterior(rates, weights, average, kappa, prior)
    return Cell(weekday, hour, len(rates), mean, lower, _mean(rates))


def _windows(
    cells: Sequence[Cell],
    rates: Sequence[Sequence[float]],
    weights: Sequence[Sequence[float]],
    average: float,
    kappa: float,
    prior: float,
) -> tuple[BestWindow, ...]:
    found = []
    for day in range(7):
        hour = 0
        while hour < 24:
            if cells[day * 24 + hour].lower <= average:
                hour += 1
                continue
            first = hour
            while hour < 24 and cells[day * 24 + hour].lower > average:
                hour += 1
            indexes = range(day * 24 + first, day * 24 + hour)
            posts = sum(cells[i].posts for i in indexes)
            mean, lower = _posterior(
                [r for i in indexes for r in rates[i]],
                [w for i in indexes for w in weights[i]],
                average,
                kappa,
                prior,
            )
            if posts >= MIN_WINDOW_POSTS and lower > average:
                found.append(
                    BestWindow(
                        (DAY_NAMES[day],),
                        f"{first:02d}:00",
                        f"{hour % 24:02d}:00",
                        mean,
                        lower,
                        posts,
                    )
                )
    found.sort(key=lambda w: (-w.lower, -w.posts, DAY_NAMES.index(w.days[0]), w.start))
    return tuple(found[:MAX_WINDOWS])


def proposed_windows(
    current: Sequence[dict[str, object]], suggested: Sequence[BestWindow], *, replace: bool
) -> list[dict[str, object]]:
    """Return the posting windows after taking `suggested`: instead of or beside `current`."""
    new = [w.as_window() for w in suggested]
    if replace:
        return new
    windows = [dict(w) for w in current]
    seen = {_window_key(w) for w in windows}
    for window in new:
        if _window_key(window) not in seen:
            seen.add(_window_key(window))
            windows.append(window)
    return windows


def _window_key(window: dict[str, object]) -> tuple[str, ...]:
    days = window.get("days") or ()
    names = tuple(str(d) for d in days) if isinstance(days, list | tuple) else ()
    return (*names, str(window.get("start")), str(window.get("end")))
