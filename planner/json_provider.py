"""JSON responses through orjson: an audit answer of a 2,000-word draft is ~150 KB, and the
standard encoder spent more CPU writing it than the engine spent auditing the draft.

Output is what Flask's own provider writes (sorted keys, compact, dates as HTTP dates,
dataclasses as objects), except that a non-finite number is written as `null`, not as the
invalid `NaN`. Reading request bodies stays with the standard parser, which reads
`NaN`/`Infinity` as numbers the validation gate can name.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _encode(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, default=DefaultJSONProvider.default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # What orjson refuses and the standard encoder writes (integers beyond 64 bits).
        text = json.dumps(
            obj, default=DefaultJSONProvider.default, sort_keys=True, separators=(",", ":")
        )
        return text.encode()


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs.keys() - {"separators", "sort_keys"}:
            return super().dumps(obj, **kwargs)
        return _encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(obj)
        return self._app.response_class(_encode(obj) + b"\n", mimetype=self.mimetype)
