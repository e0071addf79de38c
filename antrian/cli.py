"""The `antrian` command: init, serve, staff accounts, printer test."""

from __future__ import annotations

import functools
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from antrian.clock import utcnow
from antrian.config import load_settings
from antrian.roles import ROLES


def _first_run_errors(command):
    """Known first-run problems end in one Indonesian line naming the setting to fix
    (antrian/startup_errors.py); `antrian --debug` shows the traceback instead."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as exc:
            from antrian.startup_errors import explain

            if click.get_current_context().find_root().params.get("debug"):
                raise
            message = explain(exc, load_settings())
            if message is None:
                raise
            raise click.ClickException(message) from exc

    return run


def _database():
    from antrian.db import Database

    return Database(load_settings().database_url)


@click.group()
@click.option("--debug", is_flag=True, envvar="ANTRIAN_DEBUG", help="log everything, libraries too")
def main(debug: bool) -> None:
    """Antrian DPMPTSP Kabupaten Pelalawan."""
    from antrian.logs import configure_logging

    configure_logging(debug=debug)


@main.command()
@_first_run_errors
def init() -> None:
    """Create or migrate the database, seed the catalogue and the first admin."""
    from antrian.cases.kbli import seed_kbli
    from antrian.config import secret_key
    from antrian.migrate import upgrade
    from antrian.seed import ensure_admin, seed_catalogue

    settings = load_settings()
    secret_key(settings.instance_path)  # made once, here, so every worker shares it
    upgrade(settings.database_url)
    db = _database()
    with db.write() as session:
        if seed_catalogue(session):
            click.echo("Katalog layanan A-E dan loket 1-4 dibuat.")
        if added := seed_kbli(session):  # codes a newer release ships (the office's stay)
            click.echo(f"{added} kode KBLI ditambahkan.")
        password = ensure_admin(session, utcnow())
    if password:
        click.echo("Admin pertama dibuat. Catat kata sandi ini, tidak akan ditampilkan lagi:")
        click.echo(f"  pengguna: admin   kata sandi: {password}")
    click.echo(f"Basis data siap: {db.engine.url.render_as_string(hide_password=True)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="processes; PostgreSQL only (SQLite is served by one)",
)
@click.option("--threads", default=None, type=int, help="per process (default: streams + 32)")
@_first_run_errors
def serve(host: str, port: int, workers: int, threads: int | None) -> None:
    """Run the server (Twisted; see antrian/server.py)."""
    from antrian.migrate import schema_problem
    from antrian.server import StartupError
    from antrian.server import serve as run

    settings = load_settings()
    problem = schema_problem(settings.database_url)
    if problem:
        raise click.ClickException(problem)

    base = f"http://{host}:{port}"
    click.echo(
        f"Kios:        {base}/kiosk/\nLayar:       {base}/display/\n"
        f"Petugas:     {base}/staff/\nAPI:         {base}/api/v1/"
    )
    try:
        run(settings, host, port, workers, threads)
    except StartupError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option(
    "--days", type=int, default=None, help="Masa simpan (default: ANTRIAN_DATA_RETENTION_DAYS)."
)
def purge(days: int | None) -> None:
    """Remove personal data past the retention (UU 27/2022): the applicants of cases, the
    names and phones of complaints. The server also does it daily."""
    from antrian.cases.purge import purge_personal_data
    from antrian.feedback.complaints import purge_complaint_contacts

    retention = load_settings().data_retention_days if days is None else days
    with _database().write() as session:
        cases = purge_personal_data(session, utcnow(), retention)
        complaints = purge_complaint_contacts(session, utcnow(), retention)
    click.echo(f"Data pribadi {cases} berkas dihapus (masa simpan {retention} hari).")
    click.echo(f"Nama dan nomor ponsel dihapus dari {complaints} pengaduan.")


@main.group("staff")
def staff_group() -> None:
    """Staff accounts."""


@staff_group.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Nama lengkap")
@click.option(
    "--role",
    "roles",
    default="front_office",
    show_default=True,
    help="satu atau beberapa, dipisah koma: " + ", ".join(ROLES),
)
@click.password_option("--password", prompt="Kata sandi")
def staff_add(username: str, full_name: str, roles: str, password: str) -> None:
    from antrian.seed import add_staff

    with _database().write() as session:
        try:
            add_staff(session, username, full_name, password, roles, utcnow())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Petugas '{username}' dibuat.")


@staff_group.command("token")
@click.argument("username")
def staff_token(username: str) -> None:
    """Print a new API token (the old one stops working). The token is the last line."""
    from antrian.auth import new_api_token

    with _database().write() as session:
        try:
            token = new_api_token(session, username)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo("Token API baru (simpan baik-baik; token lama tidak berlaku lagi):")
    click.echo(token)


@main.group("printer")
def printer_group() -> None:
    """Thermal printers."""


@printer_group.command("test")
@click.argument("url")
@click.option("--profile", default=None, help="mis. TM-T20II, TM-T88V, POS-5890")
def printer_test(url: str, profile: str | None) -> None:
    """Print a test page on URL and report the printer's status (exit 1: not printed)."""
    from hardware.printing.delivery import NotReady
    from hardware.printing.testpage import print_test_page
    from hardware.printing.transports import PrinterError

    settings = load_settings()
    now = datetime.now(ZoneInfo(settings.timezone))  # the page shows the office's time
    try:
        status = print_test_page(url, profile or settings.printer_profile, now)
    except NotReady as exc:
        raise click.ClickException(
            f"Printer {url} belum siap: {exc.message}. Halaman uji tidak dikirim."
        ) from exc
    except PrinterError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Halaman uji terkirim ke {url}. Status: {status.describe()}")


@main.command("backup")
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="folder tujuan (bawaan: ANTRIAN_BACKUP_DIR, atau <instance>/backups)",
)
def backup_command(folder: Path | None) -> None:
    """Make a consistent copy of the database now (the server may keep running)."""
    from antrian.backup import BackupError, backup, prune

    settings = load_settings()
    folder = folder or settings.backups_path
    try:
        made = backup(settings.database_url, folder, utcnow())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if folder == settings.backups_path:
        prune(folder, settings.backup_keep)
    click.echo(f"Cadangan dibuat: {made}")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="tanpa pertanyaan konfirmasi")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with a backup; stop the server first. The replaced database is kept."""
    from antrian.backup import BackupError, restore
    from antrian.migrate import known_revisions

    settings = load_settings()
    if not yes:
        click.confirm(
            f"Basis data sekarang akan diganti dengan {file.name} (yang lama disimpan). "
            "Server sudah dihentikan?",
            abort=True,
        )
    try:
        kept = restore(file, settings.database_url, known_revisions(), utcnow())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Dipulihkan dari {file}. Basis data lama disimpan di {kept}.")
    click.echo("Jalankan 'antrian init' (memperbarui skema bila perlu), lalu nyalakan server.")


@main.command("demo")
@click.option("--days", default=20, show_default=True, type=click.IntRange(1, 2600))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--until", "last_day", default=None, help="last day, YYYY-MM-DD (default: yesterday)")
def demo_command(days: int, seed: int, last_day: str | None) -> None:
    """Fill the database with DAYS working days of office life (to see the screens alive)."""
    from datetime import date, timedelta

    from antrian.clock import service_day
    from antrian.config import secret_key
    from antrian.demo import BACK_OFFICE, OFFICERS, generate
    from antrian.migrate import upgrade
    from antrian.seed import seed_catalogue

    settings = load_settings()
    secret_key(settings.instance_path)  # makes the instance folder, as init does
    upgrade(settings.database_url)
    db = _database()
    with db.write() as session:
        seed_catalogue(session)
    try:
        until = date.fromisoformat(last_day) if last_day else service_day(utcnow()) - timedelta(1)
    except ValueError as exc:
        raise click.ClickException(f"--until '{last_day}' bukan tanggal TTTT-BB-HH.") from exc
    made = generate(db, days, until, seed)
    click.echo(f"{made['days']} hari kerja, {made['tickets']} tiket (benih {seed}).")
    names = ", ".join(f"{u} / demo-{u}-1" for u, _ in [*OFFICERS, BACK_OFFICE])
    click.echo(f"Akun petugas demo (pengguna / kata sandi): {names}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(prog_name=os.path.basename(sys.argv[0])))
