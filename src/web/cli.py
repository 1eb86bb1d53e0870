"""The ``sagsflow`` command.  One bootstrap for every subcommand: settings once, services on first use."""

from __future__ import annotations

import dataclasses
import os
from functools import cached_property
from pathlib import Path

import click

from engine.collector import tune_collector
from tasks.access.roles import ROLE_LABELS_DA
from tasks.accounts.teams import team_names
from tasks.accounts.users import add_user
from tasks.definitions.deployment import deploy_files
from tasks.service.errors import DomainError
from tasks.service.services import Services
from web.app import create_app
from web.bootstrap import bootstrap
from web.config import ConfigError, Settings
from web.logs import configure_logging
from web.startup import prepare


class Context:
    """What a subcommand needs: the settings, and the services built (and the schema prepared) once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def services(self) -> Services:
        services = bootstrap(self.settings)
        prepare(self.settings, services)
        return services

    def app(self):
        try:
            return create_app(self.settings, self.services)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc

    def check_secret_key(self) -> None:
        """Refuse the development secret key before anything is migrated (the demo may use it)."""
        try:
            self.settings.check_secret_key()
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Sagsflow: sagsbehandling som BPMN-processer."""
    tune_collector()
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    log_format = settings.log_format
    if ctx.invoked_subcommand == "demo" and "SAGSFLOW_LOG_FORMAT" not in os.environ:
        log_format = "text"  # a person reads the demo's terminal; production reads JSON
    configure_logging(log_format)
    ctx.obj = Context(settings)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_context
def serve(cli: Context, host: str, port: int) -> None:
    """Migrate, deploy processes/ and serve the web app and API."""
    cli.check_secret_key()
    _serve(cli.app(), host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_context
def demo(cli: Context, host: str, port: int) -> None:
    """Create the database with demo users and cases, then serve."""
    from web.demo import DEMO_PASSWORD, seed_demo
    from web.scheduler import make_jobs, start_background

    cli.settings = dataclasses.replace(cli.settings, allow_default_secret=True)  # the demo may use the dev key
    if not cli.settings.base_url_given:
        cli.settings = dataclasses.replace(cli.settings, base_url=f"http://{host}:{port}")
    users = seed_demo(cli.services)
    background = start_background(make_jobs(cli.services, cli.settings), cli.settings.scheduler_seconds)
    click.echo(f"\nSagsflow kører på http://{host}:{port}/  (log ind i browseren)")
    click.echo(f"Database: {cli.settings.database_url}")
    click.echo(f"API: http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"Demo-brugere (adgangskode '{DEMO_PASSWORD}'):")
    for username, roles in users:
        click.echo(f"  {username:16} {', '.join(ROLE_LABELS_DA.get(r, r) for r in roles)}")
    try:
        _serve(cli.app(), host, port)
    finally:
        background.shutdown(wait=False)


@main.command()
@click.option("--once", is_flag=True, help="Run each job once (timer sweep, escalation scan, outbox) and exit.")
@pass_context
def scheduler(cli: Context, once: bool) -> None:
    """Run the timer sweep, escalation scan and outbox sender until stopped."""
    from web.scheduler import make_jobs, run_blocking

    jobs = make_jobs(cli.services, cli.settings)
    if once:
        jobs.run_once()
        click.echo("Timere, frister, breve og udbakke er kørt én gang.")
        return
    run_blocking(jobs, cli.settings.scheduler_seconds)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def deploy(cli: Context, files: tuple[Path, ...]) -> None:
    """Deploy BPMN files (forms are read from forms/ beside each file)."""
    services = cli.services
    for view in deploy_files(services.uow(), list(files), services.clock.now()):
        click.echo(f"{view.key} version {view.version} ({'ny' if view.created else 'uændret'})")


@main.command("prepare")
@pass_context
def prepare_command(cli: Context) -> None:
    """Migrate the schema and deploy processes/ once (before web workers and schedulers start)."""
    _ = cli.services
    click.echo("Databasen er migreret og processerne udrullet.")


@main.command()
@pass_context
def migrate(cli: Context) -> None:
    """Create or upgrade the database schema."""
    from web.database import migrate as run

    run(cli.settings.database_url)


@main.group()
def users() -> None:
    """Manage users."""


@users.command("add")
@click.argument("username")
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--team", default=None, help="The user's team; created when it does not exist yet.")
@click.option("--name", "full_name", default="")
@click.option("--email", default=None)
@pass_context
def users_add(
    cli: Context,
    username: str,
    password: str,
    roles: tuple[str, ...],
    team: str | None,
    full_name: str,
    email: str | None,
) -> None:
    """Add a user with one or more roles."""
    services = cli.services
    with services.uow() as uow:
        new_team = team is not None and team not in team_names(uow)
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
    if new_team:
        click.echo(f"Team {team} fandtes ikke og er oprettet")
    click.echo(f"Bruger {username} oprettet med roller: {', '.join(roles)}")


def _serve(app, host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(app, host=host, port=port, threads=8)
