"""Reading lead CSVs (bad files refused with a clear message) and writing them back safely."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import LeadsFileError
from planner.services.leads.csvio import (
    FORMULA_STARTS,
    MAX_BYTES,
    parse_company_size,
    read_leads,
    screen_csv,
    write_annotated_csv,
)
from planner.services.leads.screen import Lead

pytestmark = pytest.mark.nodb

HEADER = "name,email,company,job_title,company_size,industry,country,message\n"


def _error(data: bytes, mapping=None) -> str:
    with pytest.raises(LeadsFileError) as caught:
        read_leads(data, mapping)
    return caught.value.message


def test_canonical_headers_need_no_mapping_and_rows_know_their_line():
    data = (
        "\ufeffName,Email,Company,Job Title,Company Size,Industry,Country,Message\n"
        'Ann,a@x.io,Acme,CTO,"5,000+",Banking,US,"two\nlines"\n'
        "\n"
        "Bob,b@x.io,Bobco,Founder,12,Retail,DE,\n"
    ).encode()
    file = read_leads(data)
    assert [line for line, _ in file.rows] == [2, 5]
    assert file.rows[0][1] == Lead(
        "Ann", "a@x.io", "Acme", "CTO", 5000, "Banking", "US", "two\nlines"
    )
    assert file.errors == []


def test_a_mapping_reads_other_headers_and_semicolons_are_understood():
    data = b"Full name;Title;Employees;Notes\nAnn;VP Procurement;10k;hello\n"
    mapping = {"name": "Full name", "job_title": "Title", "company_size": "Employees",
               "message": "Notes"}  # fmt: skip
    lead = read_leads(data, mapping).rows[0][1]
    assert (lead.name, lead.job_title, lead.company_size, lead.message) == (
        "Ann", "VP Procurement", 10_000, "hello"
    )  # fmt: skip
    assert "does not have" in _error(data, {"job_title": "Position"})
    assert "not a lead field" in _error(data, {"salary": "Title"})


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (
            HEADER.encode() + "Zoë,z@x.io,Z,CTO,5,Retail,FR,café\n".encode("latin-1"),
            "Line 2 is not UTF-8",
        ),
        (b"PK\x03\x04 rest of a zip", "binary"),
        (HEADER.encode() + b"a,b\x00c\n", "binary"),
        (b"first,last,phone\nAnn,Lee,123\n", "Missing columns"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(data, words):
    assert words in _error(data)


def test_a_file_over_ten_megabytes_is_refused_before_it_is_read():
    data = HEADER.encode() + b"x" * MAX_BYTES
    assert "at most 10 MB" in _error(data)


def test_a_bad_row_is_reported_and_the_others_still_read(screener):
    data = (HEADER + "Ann,,,CTO,lots,,,\nBob,,,Founder,12,,,\nCy,,,CEO,-5,,,\n").encode()
    screened = screen_csv(screener, data)
    assert screened.file.errors == [
        (2, "company_size 'lots' is not a number of employees"),
        (4, "company_size '-5' is not a number of employees"),
    ]
    assert [r.row for r in screened.results] == [3]
    assert [entry.get("error") for entry in screened.to_json()] == [
        "company_size 'lots' is not a number of employees",
        None,
        "company_size '-5' is not a number of employees",
    ]


@pytest.mark.parametrize(
    ("text", "size"),
    [("250", 250), ("5,000", 5000), ("5000+", 5000), ("10k", 10_000), ("51-200", 51),
     ("1.5k", 1500), ("300 employees", 300), ("", None)],
)  # fmt: skip
def test_company_sizes_are_read_as_people_write_them(text, size):
    assert parse_company_size(text) == size


def test_annotated_csv_keeps_the_file_adds_the_verdict_and_escapes_formulas(screener):
    data = (
        HEADER
        + '"=HYPERLINK(""http://evil.example"",""x"")",@sum,+1,'
        + "VP Procurement,12000,-,US,RFP please\n"
        + "Bob,b@x.io,Bobco,Founder,12,Retail,DE,We blog.\n"
    ).encode()
    text = screen_csv(screener, data).annotated_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-4:] == ["verdict", "buyer_persona", "negative_personas", "reasons"]
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil.example","x")', "'@sum", "'+1"]
    assert rows[1][5] == "'-"
    assert rows[1][8:11] == ["disqualify", "Small Business Sam", "Enterprise Procurement Pete"]
    assert 'job_title "VP Procurement" matched "VP Procurement"' in rows[1][11]
    assert rows[2][:8] == ["Bob", "b@x.io", "Bobco", "Founder", "12", "Retail", "DE", "We blog."]
    assert rows[2][8:10] == ["qualify", "Small Business Sam"]


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=5))
def test_no_written_cell_starts_like_a_formula(records):
    text = write_annotated_csv(["a", "b"], [(i + 2, r) for i, r in enumerate(records)], [])
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS)
