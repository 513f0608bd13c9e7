"""`flask leads screen`: annotated CSV or JSON out, exit codes, atomic output, no database."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import cli_without_database
from tests.leads_engine.fixtures import LEADS_FILE, PERSONAS_FILE

PERSONAS = str(PERSONAS_FILE)
HEADER = "name,email,company,job_title,company_size,industry,country,message\n"


@pytest.fixture
def cli(tmp_path):
    """Run `flask leads screen` with no database; fail if it connects."""
    with cli_without_database(tmp_path, "leads", "screen") as run:
        yield run


def _csv_file(tmp_path, body: str, name: str = "leads.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


pytestmark = pytest.mark.once


def test_annotated_csv_on_stdout_and_exit_1_when_a_lead_is_disqualified(cli):
    result = cli(str(LEADS_FILE), "--personas", PERSONAS)
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 200
    verdicts = [row["verdict"] for row in rows]
    assert (verdicts.count("qualify"), verdicts.count("review")) == (100, 70)
    assert verdicts.count("disqualify") == 30
    flagged = next(row for row in rows if row["verdict"] == "disqualify")
    assert flagged["negative_personas"] and flagged["reasons"]


def test_fail_on_review_and_json_rows(cli, tmp_path):
    path = _csv_file(tmp_path, "Ann,,,Procurement VP,,,,\nBob,,,Founder,12,Retail,DE,We blog.\n")
    assert cli(path, "--personas", PERSONAS).exit_code == 0
    result = cli(path, "--personas", PERSONAS, "--fail-on", "review", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "row": 2,
            "verdict": "review",
            "buyer": None,
            "negatives": [
                {
                    "persona": "Enterprise Procurement Pete",
                    "score": 3.0,
                    "reasons": [
                        {
                            "field": "job_title",
                            "value": "Procurement VP",
                            "matched": "VP Procurement",
                        }
                    ],
                }
            ],
        },
        {
            "row": 3,
            "verdict": "qualify",
            "buyer": {"persona": "Small Business Sam", "score": 8.0},  # 3 + 2 + 1 + 1 + 1
            "negatives": [],
        },
    ]


def test_output_is_written_whole_or_not_at_all(cli, tmp_path):
    good = _csv_file(tmp_path, "Bob,,,Founder,12,,,\n")
    out = tmp_path / "out.csv"
    assert cli(good, "--personas", PERSONAS, "--output", str(out)).exit_code == 0
    assert out.read_text().splitlines()[1].startswith("Bob,,,Founder,12,,,,qualify")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + "Zoë,,,CTO,5,,,\n".encode("latin-1"))
    result = cli(str(bad), "--personas", PERSONAS, "--output", str(out))
    assert result.exit_code == 2
    assert "bad.csv:2: Line 2 is not UTF-8" in result.stderr
    assert "qualify" in out.read_text()  # the earlier output is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "leads.csv", "out.csv"]


def test_input_errors_exit_2_with_one_line_each(cli, tmp_path):
    rows = _csv_file(tmp_path, "Ann,,,CTO,lots,,,\nBob,,,Founder,12,,,\n")
    result = cli(rows, "--personas", PERSONAS, "--format", "json")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"{rows}:2: error: company_size 'lots' is not a number of employees"
    )
    assert [entry["row"] for entry in json.loads(result.stdout)] == [2, 3]
    assert cli(rows, "--workspace", "W", "--personas", PERSONAS).exit_code == 2
    missing = cli(str(tmp_path / "nope.csv"), "--personas", PERSONAS)
    assert (missing.exit_code, "cannot be read" in missing.stderr) == (2, True)
    bad_personas = tmp_path / "p.yaml"
    bad_personas.write_text("personas:\n  - name: X\n    kind: negative\n    regions: [EU]\n")
    result = cli(rows, "--personas", str(bad_personas))
    assert result.exit_code == 2
    assert "p.yaml:4: personas[0].regions[0]: 'EU' is not a country" in result.stderr


def test_a_mapping_reads_other_headers(cli, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("Who,Position,Headcount\nAnn,VP Procurement,9000\n", encoding="utf-8")
    mapping = '{"name": "Who", "job_title": "Position", "company_size": "Headcount"}'
    result = cli(str(path), "--personas", PERSONAS, "--mapping", mapping, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0]["verdict"] == "disqualify"
    unmapped = cli(str(path), "--personas", PERSONAS)
    assert unmapped.exit_code == 2 and "Missing columns" in unmapped.stderr
