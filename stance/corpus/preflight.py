"""Checks before a run touches its output: mistakes in the command give one clear line, not lost data.

- the output is the input (the same file, also through a link or under another name): refused;
- the output already holds results and neither ``resume`` nor ``overwrite`` was asked: refused,
  naming both ways on (stance never replaces a previous output unasked);
- the output is a folder where a file is wanted, its folder does not exist or cannot be written:
  refused, naming the path and the problem.

The input is checked before this by opening it and reading its first record (a CSV without the text
column fails there), so with ``overwrite`` too nothing is truncated before the input is known good.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any


class OutputProblem(ValueError):
    """The output path cannot be used as asked."""


def check_output(source: Any, output: str | Path, format: str, resume: bool, overwrite: bool) -> None:
    path = Path(output)
    if isinstance(source, (str, Path)):
        _not_the_input(Path(source), path, format)
    if format == "jsonl":
        if path.is_dir():
            raise OutputProblem(f"cannot write {path}: it is a folder (give a file name, or --format quotes-parquet "
                                "for a folder of part files)")
        folder = path.parent
        if not folder.is_dir():
            raise OutputProblem(f"cannot write {path}: {_os_error(errno.ENOENT, folder)}")
        target = path if path.exists() else folder
        if not os.access(target, os.W_OK):
            raise OutputProblem(f"cannot write {path}: {_os_error(errno.EACCES, target)}")
        holds = path.is_file() and path.stat().st_size > 0
    else:
        if path.exists() and not path.is_dir():
            raise OutputProblem(f"cannot write {path}: it is a file, and --format quotes-parquet writes a folder "
                                "of part files")
        existing = path if path.exists() else _existing_parent(path)
        if not os.access(existing, os.W_OK):
            raise OutputProblem(f"cannot write {path}: {_os_error(errno.EACCES, existing)}")
        holds = path.is_dir() and any(path.glob("part-*.parquet"))
    if holds and not resume and not overwrite:
        raise OutputProblem(f"{path} already holds results; pass --overwrite to replace them, or --resume to "
                            "continue that run (overwrite=True or resume=True in Python)")


def _not_the_input(source: Path, output: Path, format: str) -> None:
    if not output.exists() or not source.exists():
        return
    if os.path.samefile(source, output):
        raise OutputProblem(f"the output {output} is the input {source} (the same file); write to another path")
    if (format != "jsonl" and output.is_dir() and source.resolve().is_relative_to(output.resolve())
            and source.match("part-*.parquet")):
        raise OutputProblem(f"the input {source} is a part file of the output folder {output}, which a run "
                            "replaces; write to another folder")


def _existing_parent(path: Path) -> Path:
    path = path.absolute()
    while not path.exists():
        path = path.parent
    return path


def _os_error(code: int, path: Path) -> str:
    return f"{path}: {os.strerror(code)}"


def is_lockable(output: str | Path) -> bool:
    """Whether the output is (or will be) a regular file or folder, which a run locks: not a device
    (``/dev/null``, ``/dev/full``) or a pipe, which cannot be resumed either."""
    path = Path(output)
    return not path.exists() or path.is_file() or path.is_dir()
