"""One writer per output: a lock file beside the output, naming the run that holds it.

``<output>.lock`` (``quotes.jsonl.lock``, ``quotes.lock`` for a ``quotes/`` folder) is locked with
``flock`` for as long as the run writes, and holds its pid, host and start time. A second run on the
same output, a resume included, finds it locked and stops with a message naming the holder.
The operating system releases the lock when its holder dies however it dies (SIGKILL, a crash), so
a lock file left behind by a killed run is stale: it is not locked, and the next run takes it over.
The lock is advisory: it binds stance runs, not other programs.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; fall back to creating the file exclusively
    fcntl = None


class OutputLocked(ValueError):
    """Another run holds the output's lock."""


def lock_path(output: str | Path) -> Path:
    resolved = Path(output).resolve()
    return resolved.with_name(resolved.name + ".lock")


class OutputLock:
    def __init__(self, output: str | Path):
        self.output = str(output)
        self.path = lock_path(output)
        self._fd: int | None = None

    def acquire(self) -> "OutputLock":
        while self._fd is None:
            flags = os.O_RDWR | os.O_CREAT | (0 if fcntl else os.O_EXCL)
            try:
                fd = os.open(self.path, flags, 0o644)
            except FileExistsError:  # no flock here: an existing file is a lock
                raise OutputLocked(self._message(self.path.read_text(errors="replace"))) from None
            except OSError as error:
                raise OutputLocked(f"cannot write {self.output}: its lock file {self.path} cannot be created "
                                   f"({error.strerror})") from None
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.read(fd, 200).decode("utf-8", "replace")
                    os.close(fd)
                    raise OutputLocked(self._message(holder)) from None
                # the holder before us may have removed the file between our open and our lock
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(self.path))
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            os.ftruncate(fd, 0)
            holder = f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
            os.write(fd, holder.encode("utf-8"))
            self._fd = fd
        return self

    def _message(self, holder: str) -> str:
        holder = holder.strip() or "a run that has not written its pid yet"
        return (f"{self.output} is being written by another stance run ({holder}; lock file {self.path}); "
                "wait for it to finish or stop it first")

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.path)  # while still locked, so that nobody takes a file that is going away
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "OutputLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
