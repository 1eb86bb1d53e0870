"""The WSGI entry for gunicorn (``gunicorn web.wsgi:app``): settings from the environment, JSON logs.

The one module that builds the app at import time, because that is what a WSGI server imports.
The schema must already be migrated (``sagsflow prepare``; see the README's production guide).
"""

from __future__ import annotations

from engine.collector import tune_collector
from web.app import create_app
from web.config import Settings
from web.logs import configure_logging

tune_collector()
settings = Settings.from_env()
configure_logging(settings.log_format)
app = create_app(settings)
