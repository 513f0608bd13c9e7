"""The calendar core and the mix arithmetic stay pure: no Flask, no database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "planner" / "services"


def test_core_imports_without_flask_or_sqlalchemy(tmp_path):
    # Copy the core beside empty package files: planner/__init__.py builds the Flask app,
    # which is exactly what the core must not need.
    services = tmp_path / "planner" / "services"
    shutil.copytree(SERVICES / "calendar", services / "calendar")
    shutil.copytree(SERVICES / "mix", services / "mix")
    shutil.copy(SERVICES / "clock.py", services / "clock.py")
    shutil.copy(ROOT / "planner" / "errors.py", tmp_path / "planner" / "errors.py")
    (tmp_path / "planner" / "__init__.py").write_text("")
    (services / "__init__.py").write_text("")
    script = (
        "import sys\n"
        "import planner.services.calendar, planner.services.mix.rules, planner.services.clock\n"
        "heavy = {'flask', 'sqlalchemy', 'werkzeug', 'planner.models'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
