"""In a real browser, with CSRF on: upload, map the columns, filter, download the CSV."""

from __future__ import annotations

import pytest

from tests.helpers import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.once]

CRM_EXPORT = (
    b"Full Name;Title;Employees;Notes\n"
    b"Pat Buyer;Procurement Manager;8000;Send us the RFP\n"
    b'=HYPERLINK("http://evil.example");Owner;4;A help desk for my small business\n'
)


def test_upload_map_filter_and_download_the_annotated_csv(page, leads_acme, tmp_path):
    sign_in_browser(page, "ed@example.com")
    page.goto("/leads/")
    page.get_by_role("link", name="Screen leads").first.wait_for()
    page.locator("#leads-file").set_input_files(
        files=[{"name": "crm.csv", "mimeType": "text/csv", "buffer": CRM_EXPORT}]
    )
    page.get_by_role("button", name="Screen", exact=True).click()
    page.get_by_role("heading", name="Map the file's columns").wait_for()
    page.locator("#map-name").select_option("Full Name")
    page.locator("#map-job_title").select_option("Title")
    page.locator("#map-company_size").select_option("Employees")
    page.locator("#map-message").select_option("Notes")
    page.get_by_role("button", name="Save the mapping and screen").click()

    status = page.locator("#results-heading + p[role=status]")
    status.wait_for()
    assert "2 leads screened: 1 qualify, 0 to review, 1 disqualified." in status.inner_text()
    page.locator("#filter-verdict").select_option("disqualify")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("1 of 2 shown").wait_for()
    assert page.locator("tbody tr").count() == 1
    assert "Procurement Pat" in page.locator("tbody").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download annotated CSV").first.click()
    path = tmp_path / "annotated.csv"
    download_info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith("verdict;buyer_persona;negative_personas;reasons")
    assert "'=HYPERLINK" in text and "disqualify;;Procurement Pat" in text
