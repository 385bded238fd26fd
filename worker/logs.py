"""Logging and progress for every command: JSON lines when stderr is not a terminal (journald, files,
log shippers), readable lines when it is; progress bars only on a terminal (tqdm).

Secrets never reach a log line: passwords inside URLs are masked, and the values of credential
headers (Authorization, Cookie, ...) are replaced, whatever the message or its extra fields say.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")

_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*):[^@/\s]*@")
_SECRET_HEADER = re.compile(
    r"(?P<name>\b(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|"
    r"x-newsarchive-signature)\b['\"]?\s*[:=]\s*['\"]?)(?P<value>[^'\"\r\n,}]+)",
    re.IGNORECASE,
)
# LogRecord attributes that are not user-supplied `extra=` fields.
_STANDARD = frozenset(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}
_HANDLER_NAME = "newsarchive"
_QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler.executors.default", "apscheduler.scheduler",
                  "alembic.runtime.plugins")


def redact(text: str) -> str:
    """The text with URL passwords and credential header values masked."""
    text = _URL_PASSWORD.sub(r"\g<head>:***@", text)
    return _SECRET_HEADER.sub(r"\g<name>***", text)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, any `extra=` fields, exc (a traceback) if any."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in _extras(record).items():
            out[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            out["exc"] = redact(self.formatException(record.exc_info))
        text = json.dumps(out, ensure_ascii=False, default=str)
        return redact(text) if _extras(record) else text  # nested extras get a last look too


class ReadableFormatter(logging.Formatter):
    """`2026-11-20 08:00:01 INFO  worker.pipeline: message  key=value`, for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = _extras(record)
        if extras:
            text += "  " + " ".join(f"{k}={v}" for k, v in extras.items())
        return redact(text)


class _TerminalHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes through tqdm so a log line never tears a progress bar apart."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=self.stream)
        except Exception:
            self.handleError(record)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream is not a terminal
        return False


def setup_logging(level: str = "INFO", *, stream: TextIO | None = None, json_lines: bool | None = None) -> None:
    """Configure the root logger once per process (calling again replaces our handler, not others').

    level: DEBUG, INFO, WARNING, ERROR (any case); an unknown name falls back to INFO with a warning.
    json_lines: None decides by the stream: JSON unless it is a terminal.
    """
    stream = stream if stream is not None else sys.stderr
    as_json = not _is_tty(stream) if json_lines is None else json_lines
    handler: logging.Handler = logging.StreamHandler(stream) if as_json else _TerminalHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if as_json else ReadableFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    numeric = logging.getLevelName(level.strip().upper()) if isinstance(level, str) else level
    valid = isinstance(numeric, int)
    root.setLevel(numeric if valid else logging.INFO)
    for name in _QUIET_LOGGERS:  # httpx logs every request at INFO; the fetch log has them all
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    if not valid:
        logging.getLogger(__name__).warning("unknown log level %r; using INFO", level)


def progress(iterable: Iterable[T], total: int | None = None, label: str = "",
             *, stream: TextIO | None = None) -> Iterator[T]:
    """The items of `iterable`, with a progress bar on stderr only when it is a terminal."""
    stream = stream if stream is not None else sys.stderr
    if not _is_tty(stream):
        yield from iterable
        return
    bar = tqdm(iterable, total=total, desc=label or None, file=stream, dynamic_ncols=True, leave=True,
               mininterval=0.2)
    try:
        yield from bar
    finally:
        bar.close()


class ProgressCounter:
    """A bar for work whose items are not one iterable (a pass's article fetches): update() as they end.

    Off a terminal it does nothing at all. Use as a context manager, or call close().
    """

    def __init__(self, total: int | None = None, label: str = "", *, stream: TextIO | None = None) -> None:
        stream = stream if stream is not None else sys.stderr
        self._bar = (tqdm(total=total, desc=label or None, file=stream, dynamic_ncols=True, leave=True,
                          mininterval=0.2) if _is_tty(stream) else None)

    def add_total(self, n: int) -> None:
        """More work became known (a listing yielded n more links)."""
        if self._bar is not None:
            self._bar.total = (self._bar.total or 0) + n
            self._bar.refresh()

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressCounter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
