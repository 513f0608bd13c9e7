"""The only module servers import: `gunicorn wsgi:app`, `waitress-serve wsgi:app`."""

from planner import create_app

app = create_app()
