"""Who holds the daemon's lock file: for `newsdesk status`, without taking the lock.

The daemon holds an `flock` on `<db>.daemon.lock` for its whole life (and cron lines
run `newsdesk run` under `flock` on the same file). Taking the lock, even for a moment,
to see whether it is free could make a daemon starting at that moment fail, so the
lock is looked up in Linux's table of held locks, /proc/locks, instead. Elsewhere a
shared lock is tried and released at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC_LOCKS = Path("/proc/locks")


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Whether the lock is held, by which process, and the pid the daemon wrote."""

    held: bool
    pid: int | None = None  # the process holding it, when the system says
    written_pid: int | None = None  # the pid in the file: the last daemon that took it

    def describe(self) -> str:
        """ "pid N", "no daemon", or who else holds the lock (a cron line's flock)."""
        if not self.held:
            return "no daemon"
        if self.pid is not None and self.pid != self.written_pid:
            return f"none; pid {self.pid} holds the lock (a crawl run under flock?)"
        pid = self.pid or self.written_pid
        return f"pid {pid}" if pid else "the lock is held (pid unknown)"


def _written_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _from_proc_locks(stat: os.stat_result, table: str) -> tuple[bool, int | None]:
    """(held, pid) of an flock on the file, from the text of /proc/locks.

    Lines look like "1: FLOCK  ADVISORY  WRITE 4242 fe:00:2146362 0 EOF": kind, pid,
    then the device (major:minor in hex) and inode of the file. Waiting requests are
    marked "->" and hold nothing.
    """
    device = (os.major(stat.st_dev), os.minor(stat.st_dev))
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 6 or fields[1] == "->" or fields[1] != "FLOCK":
            continue
        try:
            major, minor, inode = fields[5].split(":")
            same = (int(major, 16), int(minor, 16)) == device and int(inode) == stat.st_ino
            pid = int(fields[4])
        except ValueError:
            continue
        if same:
            return True, pid or None
    return False, None


def _by_trying(path: Path) -> bool:
    """True when an exclusive lock is held: a shared lock cannot be had."""
    import fcntl  # POSIX only

    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def lock_holder(path: Path) -> LockHolder:
    """Who holds `path` locked; a missing file is no daemon."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return LockHolder(held=False)
    written = _written_pid(path)
    try:
        table = PROC_LOCKS.read_text(encoding="ascii", errors="replace")
    except OSError:
        return LockHolder(held=_by_trying(path), written_pid=written)
    held, pid = _from_proc_locks(stat, table)
    return LockHolder(held=held, pid=pid, written_pid=written)
