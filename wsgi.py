"""The only module servers import: `gunicorn wsgi:app`, `waitress-serve wsgi:app`."""

import sys

from planner import create_app, create_file_audit_app
from planner.cli.audit import is_file_audit

# `flask audit --personas FILE` gets an app with that command alone: no database engine,
# no blueprints (it starts ~2x faster); servers and every other command get the full app.
app = create_file_audit_app() if is_file_audit(sys.argv) else create_app()
