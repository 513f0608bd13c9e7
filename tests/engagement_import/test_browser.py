"""An editor imports an export in Chromium: maps a column, previews the match, imports."""

from __future__ import annotations

import pytest

from tests.helpers import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.once]

EXPORT = (
    b"Date,Network,Link,Post,Views,Kudos,Replies\n"
    b'03/04/2026 9:15 AM,LinkedIn,https://acme.test/launch/?utm_source=li,Launch!,"1,200",30,4\n'
    b"03/05/2026 9:15 AM,LinkedIn,,Another post,100,2,0\n"
    b"someday,LinkedIn,,Broken row,5,1,0\n"
)


def test_import_through_the_mapping_and_the_preview(page, zoned, make_piece):
    piece = make_piece(title="Launch post", url="https://acme.test/launch")
    sign_in_browser(page, "ed@example.com")
    page.get_by_role("link", name="Results").click()
    page.get_by_role("combobox", name="Source").fill("LinkedIn page")
    page.locator("#engagement-file").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": EXPORT}]
    )
    page.get_by_role("button", name="Preview", exact=True).click()

    preview = page.locator("table.engagement-preview")
    assert "Launch post" in preview.inner_text() and "(by url)" in preview.inner_text()
    assert "Skipped: published time 'someday'" in preview.inner_text()
    # "Kudos" is no name the form knows: map it, and the replies, by hand.
    assert page.get_by_label("Reactions / likes").input_value() == ""
    page.get_by_label("Reactions / likes").select_option("Kudos")
    page.get_by_label("Comments / replies").select_option("Replies")
    page.get_by_role("button", name="Update the preview").click()
    first = page.locator("table.engagement-preview tbody tr").first
    assert "34" in first.inner_text()  # 30 kudos + 4 replies

    page.get_by_role("button", name="Import 3 rows").click()
    status = page.get_by_role("status")
    assert "2 new, 0 updated, 0 unchanged; 1 matched a piece, 1 matched none; 1 skipped" in (
        status.inner_text()
    )
    assert "Line 4: published time 'someday'" in page.content()
    page.get_by_role("link", name="See the unmatched results").click()
    assert "Another post" in page.locator("table.engagement-unmatched").inner_text()
    assert piece.id
