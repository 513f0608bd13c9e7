"""Each finding is badged by its own keyword's weight, not by its persona's overall level."""

from __future__ import annotations

import pytest

from planner.web.audit_marks import FindingBadge, finding_badge

# Pete blocks at 5: on-premise (3) twice is 6, request for proposal (1) once; score 7.
BLOCKING = "Send a request for proposal for an on-premise install, on-premise only."


def finding_items(page: str) -> dict[str, str]:
    """Each finding of the live-audit panel, keyed by the quoted words it is about."""
    items = {}
    for chunk in page.split('<li class="audit-finding ')[1:]:
        chunk = chunk[: chunk.index("</li>")]
        words = chunk.split("&#34;")[1] if "&#34;" in chunk else chunk.split("&quot;")[1]
        items.setdefault(words.casefold(), chunk)
    return items


def test_a_light_keyword_under_a_blocking_persona_shows_its_own_level(
    client, login, acme, make_piece
):
    piece = make_piece(title="Procurement post", body=BLOCKING)
    assert piece.verdict == "block"
    login(acme["editor"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    items = finding_items(page)
    light, heavy = items["request for proposal"], items["on-premise"]
    assert light.startswith("finding-warn") and 'class="badge level-warn">Warn' in light
    assert "Enterprise Procurement Pete is Block overall" in light
    assert heavy.startswith("finding-block") and 'class="badge level-block">Block' in heavy
    assert "overall" not in heavy


def audit_of(*matches: tuple[str, float, int], level: str = "block") -> dict:
    """An audit JSON with Pete's matches `(term, weight, start)`, one finding each."""
    rows = [
        {"term": t, "text": t, "weight": w, "start": s, "end": s + len(t), "dismissed": False}
        for t, w, s in matches
    ]
    return {
        "verdict": level,
        "personas": [
            {
                "name": "Pete",
                "kind": "negative",
                "level": level,
                "score": sum(w for _, w, _ in matches),
                "matches": rows,
            }
        ],
        "findings": [
            {"level": level, "persona": "Pete", "start": m["start"], "end": m["end"]} for m in rows
        ],
    }


@pytest.mark.nodb
def test_the_badge_rule_on_the_audit_json():
    audit = audit_of(("on-premise", 3, 0), ("RFP", 3, 20), ("SLA", 1, 40))
    sla, rfp = audit["findings"][2], audit["findings"][1]
    # on-premise and RFP carry 6 of 7: each is a reason for the block; SLA is not.
    assert finding_badge(audit, sla) == FindingBadge("warn", "block")
    assert finding_badge(audit, rfp) == FindingBadge("block")
    assert finding_badge(audit, audit["findings"][0]) == FindingBadge("block")
    # Five weight-1 "SLA"s are the whole score: each keeps the persona's level.
    many = audit_of(*[("SLA", 1, i * 10) for i in range(5)])
    assert {finding_badge(many, f) for f in many["findings"]} == {FindingBadge("block")}
    # A warning persona's light keyword is a note; whole-text findings keep their level.
    warned = audit_of(("on-premise", 2, 0), ("SLA", 0.5, 20), level="warn")
    assert finding_badge(warned, warned["findings"][1]) == FindingBadge("info", "warn")
    assert finding_badge(warned, {"level": "warn", "persona": "Olivia", "start": None}) == (
        FindingBadge("warn")
    )
