"""A file written beside its final name and moved into place only when complete: an export that fails
or is stopped half-way leaves the old file (or none), never half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a partial file beside `path` ("w" text in UTF-8, or "wb"); renamed to `path` on success."""
    final = Path(path).expanduser()
    fd, partial = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".partial")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
        with open(fd, mode, encoding=None if "b" in mode else "utf-8") as out:
            yield out
        os.replace(partial, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise
