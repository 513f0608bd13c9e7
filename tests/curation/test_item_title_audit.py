"""A feed item is audited as the piece curated from it: summary as the body, title beside it."""

from __future__ import annotations

from planner.services import curation
from planner.services.pieces import audits as piece_audits
from tests.mix_app.fixtures import NOW

CLEAN_SUMMARY = "<p>A help desk keeps a small business answering customers.</p>"


def _matches(audit: dict, name: str) -> list[tuple[str, int, int, str]]:
    persona = next(p for p in audit["personas"] if p["name"] == name)
    return [(m["field"], m["start"], m["end"], m["text"]) for m in persona["matches"]]


def test_an_items_title_counts_and_its_verdict_is_the_curated_pieces(session, acme, make_items):
    actor = acme["actor"]
    title = "On-premise or hosted: why on-premise wins"
    (item,) = make_items(actor, [(title, CLEAN_SUMMARY)])

    # Pete scores 3 per on-premise and blocks at 5: the title alone blocks a clean summary.
    assert item.verdict == "block"
    pete = _matches(item.audit, acme["pete"].name)
    assert pete == [("title", 0, 10, "On-premise"), ("title", 26, 36, "on-premise")]
    assert all(item.title[start:end] == text for _, start, end, text in pete)
    # The summary is the body: its offsets point into the stored summary HTML.
    olivia = _matches(item.audit, acme["olivia"].name)
    assert {field for field, *_ in olivia} == {"body"}
    assert all(item.summary_html[start:end] == text for _, start, end, text in olivia)

    piece = curation.curate_item(session, actor, item.id, now=NOW)
    assert piece.verdict == item.verdict == "block"
    stored = piece_audits.latest_audit(session, piece.id)
    assert _matches(stored.result, acme["pete"].name) == pete
    assert _matches(stored.result, acme["olivia"].name) == olivia
