"""The one reader of API request bodies: only JSON the app can store gets past it.

Python's `json` takes `NaN`, `Infinity`, `1e999`, lone surrogates (`"\\ud800"`), NUL
characters, integers of any size and any nesting depth. None of those can be stored
(PostgreSQL refuses NUL and non-finite JSON numbers; integer columns are 32-bit on
PostgreSQL) and deep nesting exhausts the stack, so each was a 500 somewhere downstream.
Here they are refused before any handler sees the body: 400 for a body that is not
JSON, 422 naming the field (`keywords[3].weight`) for a value that cannot be stored.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import request

from planner.errors import BadRequest, ValidationError
from planner.services.access import MAX_ID
from planner.services.lexicons import MAX_IDS
from planner.services.personas.fields import storable_text_problem

MAX_DEPTH = 20
# Top-level fields that hold lists of persona ids or names, on every endpoint.
ID_LIST_FIELDS = ("personas", "target_personas")
# Every integer the API takes (ids, minutes, counts) is stored in an INTEGER column,
# 32-bit on PostgreSQL; a larger one could only fail later, inside a query.
INT_MIN, INT_MAX = -MAX_ID, MAX_ID


class _NotFinite:
    """Stands in for `NaN`, `Infinity` or an overflowing float until its path is known."""


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


_NOT_FINITE = _NotFinite()


def _finite_float(text: str) -> float | _NotFinite:
    number = float(text)
    return number if math.isfinite(number) else _NOT_FINITE


def _problems(data: Any) -> dict[str, str]:
    """Walk the parsed body without recursion; map each unstorable value's path to why."""
    problems: dict[str, str] = {}
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack and len(problems) < 20:
        path, value, depth = stack.pop()
        where = path or "body"
        if isinstance(value, dict | list) and depth >= MAX_DEPTH:
            problems[where] = f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = storable_text_problem(key)
                if problem:
                    problems[where] = f"a field name {problem}"
                    break
                stack.append((_path(path, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend((_path(path, i), item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, _NotFinite):
            problems[where] = "must be a finite number"
        elif isinstance(value, int) and not isinstance(value, bool):
            if not INT_MIN <= value <= INT_MAX:
                problems[where] = f"must be between {INT_MIN:,} and {INT_MAX:,}"
        elif isinstance(value, str):
            problem = storable_text_problem(value)
            if problem:
                problems[where] = problem
    return problems


def parse_json(raw: bytes) -> Any:
    """Parse a JSON body and refuse what cannot be stored; see the module docstring."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8.", {"body": "not UTF-8"}) from None
    try:
        data = json.loads(text, parse_constant=lambda _: _NOT_FINITE, parse_float=_finite_float)
    except RecursionError:
        message = f"nested more than {MAX_DEPTH} levels deep"
        raise BadRequest(f"The request body is {message}.", {"body": message}) from None
    except ValueError as error:  # JSONDecodeError, or an integer of over 4,300 digits
        raise BadRequest("The request body is not valid JSON.", {"body": str(error)}) from None
    problems = _problems(data)
    if isinstance(data, dict):
        for field in ID_LIST_FIELDS:
            value = data.get(field)
            if isinstance(value, list) and len(value) > MAX_IDS:
                problems[field] = f"at most {MAX_IDS:,} items"
    if problems:
        raise ValidationError(f"Check {', '.join(sorted(problems))}.", problems)
    return data


def json_object(*, optional: bool = False) -> dict:
    """The request's JSON object; with `optional`, an empty body is `{}`."""
    raw = request.get_data(cache=True)
    # A form body may already have been read (and so emptied) by the input checks.
    if optional and not raw and not request.content_length:
        return {}
    if not request.is_json:
        raise BadRequest("Send a JSON body with 'Content-Type: application/json'.")
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data
