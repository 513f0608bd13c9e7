"""Acme with lead-screening personas, API callers, and CSV files to upload."""

from tests.leads_faces.fixtures import leads_acme, old_lead  # noqa: F401
from tests.pieces.fixtures import acme, api, globex  # noqa: F401
