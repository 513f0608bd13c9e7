from tests.leads_engine.fixtures import (  # noqa: F401
    expected_answers,
    lead_personas,
    screener,
)
