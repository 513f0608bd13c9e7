"""JSON responses through orjson: an audit answer of a 2,000-word draft is ~150 KB, and the
standard encoder spent more CPU writing it than the engine spent auditing the draft.

Output is compact, with dates as HTTP dates as Flask's own provider writes them. Keys stay
in the order the code built them, not sorted: sorting cost a fifth of the encoding, and a
dataclass (an audit result) is written in field order straight from its attributes, with
no dicts built first (`nlp.results`). A non-finite number is written as `null`, not as the
invalid `NaN`. Reading request bodies stays with the standard parser, which reads
`NaN`/`Infinity` as numbers the validation gate can name.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def _encode(obj: Any, newline: bool = False) -> bytes:
    """With `newline`, orjson writes the final newline itself: adding it afterwards copied
    the whole body once more."""
    option = _OPTIONS | orjson.OPT_APPEND_NEWLINE if newline else _OPTIONS
    try:
        return orjson.dumps(obj, default=DefaultJSONProvider.default, option=option)
    except orjson.JSONEncodeError:
        # What orjson refuses and the standard encoder writes (integers beyond 64 bits).
        text = json.dumps(obj, default=DefaultJSONProvider.default, separators=(",", ":"))
        return (text + "\n" if newline else text).encode()


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False  # the debug server's indented output keeps the same order

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs.keys() - {"separators", "sort_keys"}:
            return super().dumps(obj, **kwargs)
        return _encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(obj)
        return self._app.response_class(_encode(obj, newline=True), mimetype=self.mimetype)
