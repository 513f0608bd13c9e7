"""The calendar blueprint, its routes in three modules.

`pages` (month, week and agenda), `grid` (what the calendar grid fetches and posts) and
`subscriptions` (secret iCalendar links) hang their routes on `bp`; `planner.hooks`
imports all three before registering it.
"""

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
