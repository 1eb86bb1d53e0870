"""The ``sagsflow`` command."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click

from tasks.deployment import deploy_files
from tasks.errors import DomainError
from tasks.users import add_user
from web.app import build_services, create_app
from web.config import ConfigError, Settings
from web.logs import configure_logging
from web.startup import prepare


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Sagsflow: sagsbehandling som BPMN-processer."""
    log_format = _settings().log_format
    if ctx.invoked_subcommand == "demo" and "SAGSFLOW_LOG_FORMAT" not in os.environ:
        log_format = "text"  # a person reads the demo's terminal; production reads JSON
    configure_logging(log_format)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def _app(settings: Settings, services):
    try:
        return create_app(settings, services)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, deploy processes/ and serve the web app and API."""
    settings = _settings()
    try:
        settings.check_secret_key()  # before migrating anything
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    services = build_services(settings)
    prepare(settings, services)
    _serve(_app(settings, services), host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Create the database with demo users and cases, then serve."""
    from web.demo import DEMO_PASSWORD, seed_demo

    settings = dataclasses.replace(_settings(), allow_default_secret=True)  # the demo may run with the dev key
    if "SAGSFLOW_BASE_URL" not in settings.extra:
        settings = dataclasses.replace(settings, base_url=f"http://{host}:{port}")
    services = build_services(settings)
    prepare(settings, services)
    users = seed_demo(services)
    click.echo(f"\nSagsflow kører på http://{host}:{port}/  (log ind i browseren; database: {settings.database_url})")
    click.echo(f"API: http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"Demo-brugere (adgangskode '{DEMO_PASSWORD}'):")
    for username, roles in users:
        click.echo(f"  {username:16} {', '.join(roles)}")
    from web.scheduler import make_jobs, start_background

    background = start_background(make_jobs(services, settings))
    try:
        _serve(_app(settings, services), host, port)
    finally:
        background.shutdown(wait=False)


@main.command()
@click.option("--once", is_flag=True, help="Run each job once (timer sweep, escalation scan, outbox) and exit.")
def scheduler(once: bool) -> None:
    """Run the timer sweep, escalation scan and outbox sender until stopped."""
    from web.scheduler import make_jobs, run_blocking

    settings = _settings()
    services = build_services(settings)
    prepare(settings, services)
    jobs = make_jobs(services, settings)
    if once:
        jobs.run_once()
        click.echo("Timere, frister og udbakke er kørt én gang.")
        return
    run_blocking(jobs, settings.scheduler_seconds)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def deploy(files: tuple[Path, ...]) -> None:
    """Deploy BPMN files (forms are read from forms/ beside each file)."""
    settings = _settings()
    services = build_services(settings)
    prepare(settings, services)
    for view in deploy_files(services.uow(), list(files), services.clock.now()):
        click.echo(f"{view.key} version {view.version} ({'ny' if view.created else 'uændret'})")


@main.command("prepare")
def prepare_command() -> None:
    """Migrate the schema and deploy processes/ once (before web workers and schedulers start)."""
    settings = _settings()
    prepare(settings, build_services(settings))
    click.echo("Databasen er migreret og processerne udrullet.")


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from web.database import migrate as run

    run(_settings().database_url)


@main.group()
def users() -> None:
    """Manage users."""


@users.command("add")
@click.argument("username")
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--team", default=None)
@click.option("--name", "full_name", default="")
@click.option("--email", default=None)
def users_add(
    username: str, password: str, roles: tuple[str, ...], team: str | None, full_name: str, email: str | None
) -> None:
    """Add a user with one or more roles."""
    settings = _settings()
    services = build_services(settings)
    prepare(settings, services)
    try:
        add_user(
            services.uow(),
            username,
            password,
            list(roles),
            services.clock.now(),
            team=team,
            full_name=full_name,
            email=email,
        )
    except DomainError as exc:
        details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message} ({details})" if details else exc.message) from exc
    click.echo(f"Bruger {username} oprettet med roller: {', '.join(roles)}")


def _serve(app, host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(app, host=host, port=port, threads=8)
