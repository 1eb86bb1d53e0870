"""Flask app, JSON API, CLI.  The composition root: builds the engine, services and scheduler."""
