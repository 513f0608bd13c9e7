"""The editorial calendar. What this package exports is its pure core.

`plan`, `rules`, `slots` and `ical` (checks, slot suggestion, the iCalendar document) use
no database and no Flask; `service` adapts rows into their `plan` dataclasses, and
`agenda`, `subscriptions` and `demo` build on it.
"""

from planner.services.calendar.ical import build_calendar, piece_uid
from planner.services.calendar.plan import (
    CalendarSettings,
    ChannelPlan,
    Finding,
    PersonaPlan,
    PiecePlan,
    Window,
)
from planner.services.calendar.rules import RULES, CalendarContext, check_calendar
from planner.services.calendar.slots import (
    in_window,
    next_window_start,
    suggest_slot,
    window_intervals,
)
from planner.services.clock import local_monday, week_start

__all__ = [
    "RULES",
    "CalendarContext",
    "CalendarSettings",
    "ChannelPlan",
    "Finding",
    "PersonaPlan",
    "PiecePlan",
    "Window",
    "build_calendar",
    "check_calendar",
    "in_window",
    "local_monday",
    "next_window_start",
    "piece_uid",
    "suggest_slot",
    "week_start",
    "window_intervals",
]
