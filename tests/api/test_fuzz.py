"""Property-based fuzzing of the whole API against its own OpenAPI document (schemathesis).

Every operation of `GET /api/v1/openapi.json` is called in-process (WSGI, no network)
with an owner's token and generated bodies, paths and query strings, valid and not.
No answer may be a 5xx, and every answer must match the document: a status it lists,
its content type and its schema. Seeded and bounded, so CI sees the same cases.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_owner(make_user, actor_for, make_persona, make_token, monkeypatch) -> str:
    """An owner's token in a workspace with a buyer and a negative persona (ids 1 and 2)."""
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host.split("%")[0] if isinstance(host, str) else host)
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "no DNS in the fuzz run") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    owner = make_user("owner@example.com", "Acme", "owner")
    actor = actor_for(owner, "Acme")
    make_persona(actor, name="Owner Olivia", kind="buyer", thresholds=None)
    make_persona(actor)
    return make_token(owner)


def _operations() -> list[tuple[str, str]]:
    import planner.hooks  # noqa: F401  (imports every API module, which registers its paths)
    from planner.api.openapi import document

    return [
        (method.upper(), path)
        for path, item in sorted(document()["paths"].items())
        for method in sorted(item)
        if method in ("get", "post", "put", "patch", "delete")
    ]


# Examples per operation and mode: about a minute per database on two cores.
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 10}
FUZZ_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_operation_answers_within_its_document(app_ctx, fuzz_owner, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app_ctx)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {fuzz_owner}"}
    for mode, examples in EXAMPLES.items():

        @settings(FUZZ_SETTINGS, max_examples=examples)
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        call()
