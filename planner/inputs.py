"""Query arguments and form values the app cannot store are refused on every request.

A NUL character (PostgreSQL refuses it in text) or a lone surrogate reached the database
from any page's form or query string as a 500. One check before every view, the pages
and the API alike, answers 422 naming the field instead (a page or the API's JSON error,
see `error_pages`). JSON bodies have their own reader, `planner/api/body.py`.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import MultiDict

from planner.errors import ValidationError
from planner.services.personas.fields import storable_text_problem


def unstorable_fields(values: MultiDict) -> dict[str, str]:
    """Map each field whose name or value cannot be stored to what is wrong with it."""
    problems: dict[str, str] = {}
    for name, value in values.items(multi=True):
        name_problem = storable_text_problem(name)
        problem = name_problem or storable_text_problem(value)
        if problem:
            field = "field name" if name_problem else name[:100]
            problems.setdefault(field, problem)
    return problems


def refuse_unstorable_input() -> None:
    problems = unstorable_fields(request.args)
    # The API reads JSON only (`api/body.py`); parsing a form there would eat its body.
    form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    if form and not request.path.startswith("/api/"):
        problems.update(unstorable_fields(request.form))
    if problems:
        raise ValidationError(f"Check {', '.join(sorted(problems))}.", problems)


def init_app(app: Flask) -> None:
    app.before_request(refuse_unstorable_input)
