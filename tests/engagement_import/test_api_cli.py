"""`POST /api/v1/engagement` (JSON or text/csv), unmatched rows, `flask engagement import`."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import EngagementRow

GOOD = ["2026-03-04T09:00:00Z", "Blog", "https://acme.test/a", "A", "10", "1", "2"]
BAD = ["not a time", "Blog", "", "B", "10", "1", "2"]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(EngagementRow))


def test_api_imports_json_or_csv_and_answers_counts(api, zoned, make_piece, engagement_csv):
    make_piece(title="A", url="https://acme.test/a/")
    text = engagement_csv([GOOD, BAD, ["2026-03-05T09:00:00Z", "Blog", "", "C", "5", "", "1"]])
    response = api("POST", "/engagement", json={"source": "Buffer", "csv": text})
    assert response.status_code == 200
    assert response.get_json() == {
        "source": "Buffer",
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "matched": 1,
        "unmatched": 1,
        "errors": [
            {
                "line": 3,
                "message": "published time 'not a time' is not a date and time "
                "(e.g. 2026-03-04T09:15:00+01:00 or 03/04/2026 9:15 AM)",
            }
        ],
    }
    again = api(
        "POST",
        "/engagement?source=Buffer",
        data=text.encode(),
        headers={"Content-Type": "text/csv"},
    ).get_json()
    assert (again["imported"], again["unchanged"]) == (0, 2)
    listed = api("GET", "/engagement/unmatched", role="viewer").get_json()
    assert listed["total"] == 1 and listed["rows"][0]["title"] == "C"
    assert listed["rows"][0]["source"] == "Buffer" and listed["rows"][0]["line"] == 4


def test_api_refuses_what_it_cannot_import_with_json_errors(api, zoned, engagement_csv):
    mapped = engagement_csv([["2026-03-04 09:00", "Hi"]], ["Date", "Post"])
    cases = [
        ({"csv": ""}, 422, "The file is empty."),
        ({"csv": mapped}, 422, "Map the file's columns first"),
        ({"csv": mapped, "mapping": {"published_at": "When"}}, 422, "Check the column mapping"),
        ({"csv": 3}, 422, "Send the file's text as 'csv'."),
        ({"csv": mapped, "extra": 1}, 422, "Unknown field 'extra'."),
    ]
    for body, status, message in cases:
        response = api("POST", "/engagement", json=body)
        assert response.status_code == status, body
        assert response.get_json()["error"]["message"].startswith(message), response.get_json()
    viewer = api("POST", "/engagement", role="viewer", json={"csv": engagement_csv([GOOD])})
    assert viewer.status_code == 403 and viewer.get_json()["error"]["code"] == "forbidden"
    with_mapping = api(
        "POST",
        "/engagement",
        json={"csv": mapped, "mapping": {"published_at": "Date", "title": "Post"}},
    )
    assert with_mapping.status_code == 200 and with_mapping.get_json()["imported"] == 1
    assert _count() == 1


def test_cli_imports_lists_bad_lines_and_exits_2_on_an_unreadable_file(
    runner, zoned, engagement_csv, tmp_path
):
    good = tmp_path / "results.csv"
    good.write_text(engagement_csv([GOOD, BAD]), encoding="utf-8-sig")
    result = runner.invoke(args=["engagement", "import", str(good), "--workspace", "Acme"])
    assert result.exit_code == 0, result.output
    assert f"{good}:3: published time 'not a time'" in result.output
    assert (
        "1 imported, 0 updated, 0 unchanged; 0 matched, 1 unmatched; 1 bad row skipped"
        in result.output
    )

    latin = tmp_path / "latin.csv"
    latin.write_bytes("published_at,title\n2026-03-04 09:00,Caf\xe9\n".encode("latin-1"))
    result = runner.invoke(args=["engagement", "import", str(latin), "--workspace", "Acme"])
    assert result.exit_code == 2 and "not UTF-8" in result.output

    export = tmp_path / "export.csv"
    export.write_text(engagement_csv([["04/03/2026 09:00", "Hi", "7"]], ["Date", "Post", "Views"]))
    result = runner.invoke(
        args=["engagement", "import", str(export), "--workspace", "Acme", "--source", "LI"]
    )
    assert result.exit_code == 2 and "Map the file's columns first" in result.output
    result = runner.invoke(
        args=[
            "engagement",
            "import",
            str(export),
            "--workspace",
            "Acme",
            "--source",
            "LI",
            "--map",
            "published_at=Date",
            "--map",
            "title=Post",
            "--map",
            "impressions=Views",
            "--date-order",
            "dmy",
            "--timezone",
            "Europe/London",
        ]
    )
    assert result.exit_code == 0, result.output
    # Saved: the next run needs no --map.
    result = runner.invoke(
        args=["engagement", "import", str(export), "--workspace", "Acme", "--source", "LI"]
    )
    assert result.exit_code == 0 and "0 imported, 0 updated, 1 unchanged" in result.output
    stored = db.session.scalar(sa.select(EngagementRow).where(EngagementRow.title == "Hi"))
    assert stored.published_at.isoformat() == "2026-03-04T09:00:00+00:00"  # 4 March, London
    assert stored.impressions == 7


def test_an_editor_gives_a_published_piece_its_url_but_not_a_new_title(api, zoned, make_piece):
    piece = make_piece(title="Went out", status="published", scheduled_at="2026-03-01T09:00:00Z")
    response = api("PATCH", f"/pieces/{piece.id}", json={"url": "https://acme.test/went-out"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["url"] == "https://acme.test/went-out"
    refused = api("PATCH", f"/pieces/{piece.id}", json={"title": "Rewritten"})
    assert refused.status_code == 409
    bad = api("PATCH", f"/pieces/{piece.id}", json={"url": "javascript:alert(1)"})
    assert bad.status_code == 422 and bad.get_json()["error"]["details"] == {
        "url": "must be an http(s) address"
    }
