"""The Results pages: upload, mapping, preview with matches, import, unmatched, roles."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from planner.models import EngagementRow, EngagementSource

EXPORT_HEADERS = ["Date", "Network", "Link", "Post", "Views", "Likes"]


def _upload(client, text: str, action: str = "preview", source: str = "Buffer"):
    data = {"source": source, "action": action, "file": (io.BytesIO(text.encode()), "export.csv")}
    return client.post("/engagement/import", data=data, content_type="multipart/form-data")


def test_mapping_then_preview_shows_matches_then_import_saves_the_mapping(
    client, login, zoned, make_piece, engagement_csv
):
    piece = make_piece(title="Launch post", url="https://acme.test/launch")
    rows = [
        [
            "03/04/2026 9:15 AM",
            "LinkedIn",
            "https://acme.test/launch/?utm_medium=social",
            "Launch!",
            "1,000",
            "25",
        ],
        ["03/05/2026 9:15 AM", "LinkedIn", "", "Elsewhere", "100", "2"],
        ["someday", "LinkedIn", "", "Broken", "1", "1"],
    ]
    text = engagement_csv(rows, EXPORT_HEADERS)
    login(zoned["editor"])
    page = _upload(client, text).get_data(as_text=True)
    # Not mapped yet: the guess is shown at work on the real rows, with what it assumes.
    assert "Map the file's columns below" in page
    assert re.search(r'<option value="Date" selected>Date</option>', page)
    assert re.search(r'<option value="Likes" selected>Likes</option>', page)
    assert "Slashed dates are read month first (US)" in page
    assert "America/New_York" in page
    assert "Wed 4 Mar 09:15 EST" in page
    assert f'href="/pieces/{piece.id}"' in page and "(by url)" in page
    assert "no piece (kept as unmatched)" in page
    assert "Skipped: published time &#39;someday&#39;" in page
    assert session_rows(client) == 0

    form = {
        "source": "Buffer",
        "mapping_sent": "1",
        "csv": text,
        "timezone": "America/New_York",
        "date_order": "mdy",
        "map_published_at": "Date",
        "map_channel": "Network",
        "map_url": "Link",
        "map_title": "Post",
        "map_impressions": "Views",
        "map_reactions": "Likes",
        "action": "import",
    }
    done = client.post("/engagement/import", data=form, content_type="multipart/form-data")
    body = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "2 new, 0 updated, 0 unchanged; 1 matched a piece, 1 matched none; 1 skipped" in body
    assert "Line 4: published time &#39;someday&#39;" in body
    assert session_rows(client) == 2

    # The next upload of this source is read with the saved mapping, no guessing.
    again = _upload(client, text).get_data(as_text=True)
    assert "Read with the mapping saved for this source." in again
    straight = _upload(client, text, action="import").get_data(as_text=True)
    assert "0 new, 0 updated, 2 unchanged" in straight


def session_rows(client) -> int:
    from planner.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(EngagementRow))


def test_a_mapping_error_is_shown_next_to_its_field(client, login, zoned, engagement_csv):
    text = engagement_csv([["2026-03-04 09:00", "x", "", "Hi", "1", "1"]], EXPORT_HEADERS)
    login(zoned["editor"])
    form = {
        "source": "S",
        "mapping_sent": "1",
        "csv": text,
        "timezone": "Nowhere/Land",
        "map_title": "Post",
        "action": "import",
    }
    response = client.post("/engagement/import", data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="published_at-error"' in page and "choose the column that holds" in page
    assert 'id="timezone-error"' in page
    assert session_rows(client) == 0


def test_canonical_headers_import_without_a_mapping_step(client, login, zoned, engagement_csv):
    text = engagement_csv([["2026-03-04T09:00:00Z", "Blog", "", "Hi", "10", "1", "2"]])
    login(zoned["editor"])
    page = _upload(client, text, action="import", source="").get_data(as_text=True)
    assert "Imported into “default”" in page and "1 new" in page
    assert "Unmatched results" in page
    from planner.extensions import db

    assert db.session.scalar(sa.select(EngagementSource.name)) == "default"


def test_an_unreadable_file_imports_nothing_and_says_why(client, login, zoned):
    login(zoned["editor"])
    data = {"source": "S", "file": (io.BytesIO("a,b\n1,Caf\xe9\n".encode("latin-1")), "x.csv")}
    response = client.post("/engagement/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not UTF-8" in page and 'id="file-error"' in page
    assert session_rows(client) == 0


def test_viewers_see_the_results_pages_but_cannot_import(client, login, zoned, engagement_csv):
    login(zoned["viewer"])
    page = client.get("/engagement/import").get_data(as_text=True)
    assert "Editors and owners import results" in page and 'name="file"' not in page
    assert client.get("/engagement/unmatched").status_code == 200
    text = engagement_csv([["2026-03-04T09:00:00Z", "Blog", "", "Hi", "10", "1", "2"]])
    assert _upload(client, text, action="import").status_code == 403
    assert client.post("/engagement/unmatched/rematch").status_code == 403
    assert session_rows(client) == 0


def test_the_unmatched_page_lists_rows_and_matches_again(
    client, login, zoned, make_piece, engagement_csv
):
    text = engagement_csv(
        [["2026-03-04T09:00:00Z", "Blog", "https://acme.test/x", "Hi", "10", "1", "2"]]
    )
    login(zoned["editor"])
    _upload(client, text, action="import")
    page = client.get("/engagement/unmatched").get_data(as_text=True)
    assert (
        "1 unmatched result." in page and "https://acme.test/x" in page and "Buffer, line 2" in page
    )
    piece = make_piece(title="X", url="https://acme.test/x")
    response = client.post("/engagement/unmatched/rematch", follow_redirects=True)
    assert "Matched 1 more result to pieces." in response.get_data(as_text=True)
    from planner.extensions import db

    assert db.session.scalar(sa.select(EngagementRow.piece_id)) == piece.id


def test_the_piece_editor_keeps_a_published_url_even_on_a_published_piece(
    client, login, zoned, make_piece
):
    piece = make_piece(title="Went out", status="published", scheduled_at="2026-03-01T09:00:00Z")
    login(zoned["owner"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert 'name="url"' in page and "Published URL" in page
    response = client.post(
        f"/pieces/{piece.id}",
        data={"version": piece.version, "url": "ftp://nope", "status": "published"},
    )
    assert response.status_code == 422 and "must be an http(s) address" in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/pieces/{piece.id}",
        data={"version": piece.version, "url": "https://acme.test/went-out", "status": "published"},
    )
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    from planner.extensions import db

    db.session.refresh(piece)
    assert piece.url == "https://acme.test/went-out"


def test_exports_over_the_app_wide_2_mib_limit_are_taken_up_to_10_mb(client, login, zoned):
    login(zoned["editor"])
    row = "2026-03-04T09:00:00Z,Blog,https://acme.test/a-fairly-long/address,A title,100,1,2\n"
    count = 3 * 1024 * 1024 // len(row)
    text = "published_at,channel,url,title,impressions,clicks,engagements\n" + row * count
    page = _upload(client, text).get_data(as_text=True)
    assert f"{count} rows in the file" in page
    too_big = "published_at,title\n" + "2026-03-04T09:00:00Z,x\n" * (21 * 512 * 1024 // 23)
    response = _upload(client, too_big)  # 10.5 MB: read, then refused by the import's rule
    assert response.status_code == 422
    assert "imports take at most 10 MB" in response.get_data(as_text=True)


def test_an_editor_saves_the_url_of_a_published_piece_from_its_page(
    client, login, zoned, make_piece
):
    piece = make_piece(title="Went out", status="published", scheduled_at="2026-03-01T09:00:00Z")
    login(zoned["editor"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert page.count('id="piece-url"') == 1 and "Save the URL" in page
    response = client.post(
        f"/pieces/{piece.id}", data={"version": piece.version, "url": "https://acme.test/out"}
    )
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    from planner.extensions import db

    db.session.refresh(piece)
    assert (piece.url, piece.title, piece.status) == (
        "https://acme.test/out",
        "Went out",
        "published",
    )


def test_deleting_a_source_removes_its_rows_and_mapping(client, login, zoned, engagement_csv):
    text = engagement_csv([["2026-03-04T09:00:00Z", "Blog", "", "Hi", "10", "1", "2"]])
    login(zoned["editor"])
    _upload(client, text, action="import", source="Wrong zone")
    from planner.extensions import db

    source_id = db.session.scalar(sa.select(EngagementSource.id))
    client.post("/logout")
    login(zoned["viewer"])
    assert client.post(f"/engagement/sources/{source_id}/delete").status_code == 403
    client.post("/logout")
    login(zoned["editor"])
    response = client.post(f"/engagement/sources/{source_id}/delete", follow_redirects=True)
    assert "Deleted the source “Wrong zone” and its 1 result." in response.get_data(as_text=True)
    assert session_rows(client) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EngagementSource)) == 0
    assert client.post(f"/engagement/sources/{source_id}/delete").status_code == 404
