"""The ``portal`` command: serve, migrate, demo-data, create-user, purge, jobs, audit-nik."""

from __future__ import annotations

import asyncio
import os
import sys

import click

os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")


def _fail(message: str) -> None:
    click.echo(click.style(message, fg="red"), err=True)
    sys.exit(1)


def _settings():
    from portal.settings import SettingsError, get_settings

    try:
        return get_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _run_db(coro):
    """Run a database coroutine; an unreachable database is a message, not a traceback."""
    from portal.db import UNAVAILABLE_ERRORS

    try:
        return asyncio.run(coro)
    except UNAVAILABLE_ERRORS as exc:
        _fail(f"Database unavailable: {type(exc).__name__}: {exc}")


@click.group()
def main() -> None:
    """Portal Rekam KTP-el Mojokerto."""


@main.command()
@click.option(
    "--to",
    "target",
    default="all",
    show_default=True,
    help="Stop after this migration id (upgrade one step at a time).",
)
@click.option(
    "--lock-timeout",
    default="5s",
    show_default=True,
    help="PostgreSQL: roll a migration back if it waits longer than this for a table lock, "
    "rather than queue every request behind it.",
)
def migrate(target: str, lock_timeout: str) -> None:
    """Apply pending database migrations (both engines use the same set)."""
    settings = _settings()
    from piccolo.apps.migrations.commands.forwards import run_forwards
    from piccolo.engine.postgres import PostgresEngine

    from portal.db import prepare_sqlite

    if settings.engine == "sqlite":
        prepare_sqlite(str(settings.sqlite_path))
    else:
        from portal.piccolo_conf import DB

        # Every connection the migration runner opens gets the limit (asyncpg server
        # settings), so no single migration can be forgotten.
        if isinstance(DB, PostgresEngine):
            DB.config.setdefault("server_settings", {})["lock_timeout"] = lock_timeout
    app_name = "all" if target == "all" else "portal"
    result = asyncio.run(run_forwards(app_name=app_name, migration_id=target))
    if not result.success:
        _fail(f"Migration failed: {result.message}")
    click.echo("Migrations applied.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option(
    "--limit-concurrency",
    default=None,
    type=int,
    help="Answer 503 at once beyond this many concurrent connections per worker.",
)
@click.option(
    "--graceful-timeout",
    default=20,
    show_default=True,
    type=int,
    help="Seconds in-flight requests get to finish after SIGTERM.",
)
def serve(
    host: str,
    port: int,
    workers: int,
    reload: bool,
    limit_concurrency: int | None,
    graceful_timeout: int,
) -> None:
    """Serve the portal with uvicorn."""
    settings = _settings()
    from portal.db import DatabaseState, check_database, prepare_sqlite
    from portal.logging_setup import configure_logging

    configure_logging(settings)
    if settings.engine == "sqlite":
        prepare_sqlite(str(settings.sqlite_path))

    async def check() -> DatabaseState:
        from portal.piccolo_conf import DB

        state = DatabaseState()
        await check_database(DB, state)
        pool = getattr(DB, "pool", None)
        if pool is not None:
            await DB.close_connection_pool()
        return state

    state = asyncio.run(check())
    if state.pending_migrations:
        _fail(
            f"{len(state.pending_migrations)} migration(s) not applied. Run `portal migrate` first."
        )
    if state.unsafe_settings:
        _fail(f"Refusing to serve: {state.reason}.")
    import uvicorn

    from portal.ops.metrics import multiprocess_dir

    click.echo(f"Portal Rekam KTP-el Mojokerto: http://{host}:{port}  (Ctrl+C to stop)")

    with multiprocess_dir(workers):
        uvicorn.run(
            "portal.ops.server:app_factory",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            reload=reload,
            http="httptools",  # portal.ops.server adjusts its graceful shutdown
            proxy_headers=False,  # client addresses are resolved by portal.web.client_ip
            server_header=False,
            timeout_graceful_shutdown=graceful_timeout,
            # A replacement worker starting on a busy machine (rolling restart under load)
            # needs more than uvicorn's 5 s to import and be ready; less aborts the restart.
            timeout_worker_healthcheck=30,
            limit_concurrency=limit_concurrency,
            log_config=None,  # portal.logging_setup: JSON lines with NIK redaction
            log_level="warning",
            access_log=False,  # portal.ops.request_log writes one line per request
        )


@main.command("demo-data")
def demo_data() -> None:
    """Load regions, locations, requirements and demo accounts (idempotent)."""
    settings = _settings()
    if settings.production:
        _fail("Refusing to create demo accounts in production.")
    from portal.demo import load_demo

    accounts = asyncio.run(load_demo())
    click.echo("Demo data loaded.")
    if accounts:
        click.echo("\nDemo accounts (development only):")
        for line in accounts:
            click.echo("  " + line)


@main.command("create-user")
@click.option("--role", type=click.Choice(["admin", "staff", "coordinator"]), required=True)
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--office", type=click.Choice(["kota", "kabupaten"]), default=None)
@click.password_option(help="Asked for when not given.")
def create_user(
    role: str, username: str, full_name: str, office: str | None, password: str
) -> None:
    """Create an account from the command line (the first admin, typically)."""
    _settings()
    from portal.accounts_cli import create_user_command

    try:
        message = asyncio.run(create_user_command(role, username, full_name, office, password))
    except ValueError as exc:
        _fail(str(exc))
    click.echo(message)


@main.command()
@click.option(
    "--after-days",
    type=int,
    default=None,
    help="Override PORTAL_PURGE_AFTER_DAYS for this run.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be minimised; change nothing.")
def purge(after_days: int | None, dry_run: bool) -> None:
    """Minimise personal data of residents closed long ago (safe to run daily from cron)."""
    settings = _settings()
    from portal.ops.privacy import purge_office_people, purge_residents

    days = settings.purge_after_days if after_days is None else after_days
    if days < 1:
        _fail("--after-days must be at least 1.")
    report = _run_db(purge_residents(days, dry_run=dry_run))
    verb = "would be minimised" if dry_run else "minimised"
    click.echo(f"{report.purged} resident(s) closed before {report.cutoff:%Y-%m-%d} {verb}.")
    office = _run_db(purge_office_people(days, dry_run=dry_run))
    click.echo(f"{office.people} office list person(s) closed before that {verb}.")
    cancelled = "would be cancelled" if dry_run else "cancelled"
    click.echo(f"{office.imports_cancelled} office import(s) left unconfirmed {cancelled}.")


@main.command()
@click.option("--once", is_flag=True, help="Run what is pending, then exit (cron, tests).")
def jobs(once: bool) -> None:
    """Run background jobs (office imports) here: for PORTAL_JOBS=off, or from cron."""
    _settings()
    from portal.ops.jobs import job_loop, worker_name
    from portal.staff.office_import_job import run_pending

    if once:
        chunks = _run_db(run_pending(worker_name()))
        click.echo(f"{chunks} chunk(s) run.")
        return

    async def forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        import signal

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await job_loop(stop, worker_name())

    _run_db(forever())


@main.command("audit-nik")
@click.option("--resident", "resident_id", type=int, default=None, help="Resident id.")
@click.option("--orang", "person_id", type=int, default=None, help="Office-list person id.")
def audit_nik(resident_id: int | None, person_id: int | None) -> None:
    """Who viewed or exported this resident's (or office-list person's) full NIK, and when."""
    _settings()
    from portal.ops.privacy import nik_access_log, office_person_nik_log

    if (resident_id is None) == (person_id is None):
        _fail("Give exactly one of --resident ID or --orang ID.")
    if resident_id is not None:
        rows, who = _run_db(nik_access_log(resident_id)), f"resident {resident_id}'s"
    elif person_id is not None:
        rows, who = _run_db(office_person_nik_log(person_id)), f"office person {person_id}'s"
    if not rows:
        click.echo(f"No recorded view or export of {who} NIK.")
        return
    for row in rows:
        at = row["at"] if isinstance(row["at"], str) else row["at"].isoformat()
        click.echo(
            f"{at}\t{row['actor_name'] or '-'}\t{row['role'] or '-'}\t{row['action']}"
            f"\t{row['ip'] or '-'}"
        )


if __name__ == "__main__":
    main()
