"""`flask audit --personas FILE` starts lean: no database layer, no pages, no lemmatizer.

The speed itself is measured in `bench/audit_bench.py` (paired runs against
`spacy.blank("en")`); here we check what the command loads, and that it still works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli.audit import is_file_audit

ROOT = Path(__file__).resolve().parents[2]

PERSONAS = """\
personas:
  - name: Enterprise Procurement Pete
    kind: negative
    keywords:
      - {term: on-premise, weight: 3, suggest: hosted for you}
      - {term: rebrand, weight: 3}
"""

# Runs the real `flask` entry point in-process, then reports what it imported.
PROBE = """\
import json, sys
from flask.cli import main
sys.argv = ["flask", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
heavy = [m for m in ("sqlalchemy", "flask_sqlalchemy", "alembic", "planner.web",
                     "planner.api", "planner.models", "spacy_lookups_data") if m in sys.modules]
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("argv", "lean"),
    [
        (["flask", "audit", "--personas", "p.yaml", "docs"], True),
        (["flask", "--app", "wsgi", "audit", "--personas=p.yaml", "docs"], True),
        (["flask", "-e", ".env", "audit", "docs", "--personas", "p.yaml"], True),
        (["flask", "audit", "--workspace", "acme", "docs"], False),
        (["flask", "audit", "--personas", "p.yaml", "--workspace", "acme", "x"], False),
        (["flask", "audit", "docs", "--", "--personas"], False),
        (["flask", "personas", "--personas", "p.yaml"], False),
        (["gunicorn", "wsgi:app"], False),
        (["flask"], False),
    ],
)
def test_only_a_persona_file_audit_gets_the_lean_app(argv, lean):
    assert is_file_audit(argv) is lean


@pytest.mark.once
def test_file_audit_loads_no_database_layer_and_still_audits(tmp_path):
    personas = tmp_path / "personas.yaml"
    personas.write_text(PERSONAS, encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("# Launch\n\nWe rebranded and install on -premise.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FLASK_APP": "wsgi"}
    args = [sys.executable, "-c", PROBE, "audit", "--personas", str(personas), "--format", "json"]
    done = subprocess.run(
        [*args, str(draft)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe == {"code": 1, "heavy": []}, done.stderr
    (report,) = json.loads(done.stdout)
    assert report["verdict"] == "block"
    assert [m["text"] for m in report["personas"][0]["matches"]] == ["rebranded", "on -premise"]
