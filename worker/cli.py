"""The `newsarchive` command: parse, call, format. No business logic here."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from worker import __version__

log = logging.getLogger("newsarchive")

# Exit statuses (README "Exit statuses"): 0 the command did its work (a pass completed, maybe with some
# failed fetches); 1 nothing could be done (no source could be polled, the archive is unreachable, an
# input could not be read); 2 a usage or config error (argparse's own status too); 3 a crash (a bug).
NOTHING_DONE = 1
USAGE_ERROR = 2
CRASH = 3


class UsageError(Exception):
    """A bad command line or config: exit status 2, a clear message, no traceback."""


class Unavailable(Exception):
    """Nothing could be done (the archive is unreachable, no source answered): exit status 1, one line."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from worker.logs import setup_logging

    setup_logging(os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO"))  # JSON lines unless stderr is a terminal
    from worker.config import ConfigError

    try:
        return int(args.func(args) or 0)
    except (ConfigError, UsageError) as e:
        print(f"newsarchive: {e}", file=sys.stderr)
        return USAGE_ERROR
    except Unavailable as e:
        print(f"newsarchive: {e}", file=sys.stderr)
        return NOTHING_DONE
    except BrokenPipeError:  # `newsarchive export | head` is fine
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        from worker.store.engine import is_unavailable

        if is_unavailable(e):  # lost mid-command, after the start-up check (and the store's retries)
            print(f"newsarchive: lost the database: {_short(getattr(e, 'orig', None) or e)}", file=sys.stderr)
            return NOTHING_DONE
        if _damaged(e):  # not a bug of ours: a SQLite file broken on disk (or not SQLite at all)
            print(f"newsarchive: the database file is damaged: {_short(getattr(e, 'orig', None) or e)} "
                  "(restore it from a backup, or try `sqlite3 FILE .recover`)", file=sys.stderr)
            return NOTHING_DONE
        import traceback

        traceback.print_exc()
        print(f"newsarchive: crashed ({type(e).__name__}); this is a bug, please report it with the lines above",
              file=sys.stderr)
        return CRASH


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="config file (default: $NEWSARCHIVE_CONFIG or config/sources.yaml)")
    common.add_argument("--db", help="database URL (default: $NEWSARCHIVE_DATABASE_URL, the config's, "
                                     "or sqlite:///data/archive.sqlite3)")
    p = argparse.ArgumentParser(prog="newsarchive", description="A faithful, versioned archive of the news.")
    p.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           help="one of these (`newsarchive COMMAND --help` for its options)")

    run = sub.add_parser("run", parents=[common], help="the service (or one pass with --once)")
    run.add_argument("--once", action="store_true", help="one pass over the sources, then exit")
    run.add_argument("--recheck", action="store_true",
                     help="with --once: fetch every known article of the sources (or of --source) again now, "
                          "not only those due: an edit that no listing announced is seen at once")
    run.add_argument("--source", action="append", default=[], metavar="NAME", help="only this source (repeatable)")
    run.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations")
    run.add_argument("--fleet", action="store_true",
                     help="be one of several workers sharing this PostgreSQL archive (or NEWSARCHIVE_RUNNER=fleet)")
    run.set_defaults(func=cmd_run)

    sub.add_parser("check", parents=[common], help="validate the config and list its sources").set_defaults(
        func=cmd_check)

    db = sub.add_parser("db", parents=[common], help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply the pending migrations (safe to repeat)")
    db.set_defaults(func=cmd_db)

    ex = sub.add_parser("export", parents=[common], help="write the archive out (JSONL, WARC or WACZ)")
    ex.add_argument("--format", choices=["jsonl", "warc", "wacz"], default="jsonl",
                    help="jsonl: one version per line (docs/export-format.md); warc: WARC/1.1 captures; "
                         "wacz: a WACZ package with provenance (needs -o) (default jsonl)")
    ex.add_argument("--latest", action="store_true", help="only each article's latest version")
    ex.add_argument("--source", metavar="NAME", help="only the articles this source found")
    ex.add_argument("--since", metavar="ISO", help="versions first seen at or after this time")
    ex.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    ex.add_argument("--url", metavar="URL", help="only the article reached under this URL")
    ex.add_argument("--sign-key", metavar="KEYFILE", help="with --format wacz: sign it with this ECDSA P-256 PEM key")
    ex.set_defaults(func=cmd_export)

    vf = sub.add_parser("verify", parents=[common], help="check a WACZ's hashes and signature")
    vf.add_argument("file", metavar="FILE.wacz", help="the WACZ file written by export --format wacz")
    vf.set_defaults(func=cmd_verify)

    fe = sub.add_parser("fetches", parents=[common], help="the fetch log as JSONL")
    fe.add_argument("--failed", action="store_true", help="only requests that produced no usable body")
    fe.add_argument("--source", metavar="NAME", help="only this source's requests")
    fe.add_argument("--since", metavar="ISO", help="only requests made at or after this time (e.g. 2026-11-20T08:00Z)")
    fe.add_argument("--limit", type=_positive, metavar="N", help="only the newest N requests (still oldest first)")
    fe.set_defaults(func=cmd_fetches)

    hi = sub.add_parser("history", parents=[common], help="an article's versions")
    hi.add_argument("url", help="the article's URL (any URL it was listed under)")
    hi.add_argument("--json", action="store_true", help="JSON instead of a table")
    hi.set_defaults(func=cmd_history)

    di = sub.add_parser("diff", parents=[common], help="a readable diff between two versions")
    di.add_argument("url", help="the article's URL (any URL it was listed under)")
    di.add_argument("versions", nargs="*", type=int, metavar="V", help="two version numbers (default: last two)")
    di.set_defaults(func=cmd_diff)

    xt = sub.add_parser("extract", parents=[common], help="run the extractor alone on files or URLs")
    xt.add_argument("inputs", nargs="+", metavar="FILE_OR_URL", help="saved HTML files, or http(s) URLs to fetch")
    xt.add_argument("--base-url", metavar="URL", help="the URL a saved file was served from (resolves its links)")
    xt.set_defaults(func=cmd_extract)

    rx = sub.add_parser("reextract", parents=[common], help="rebuild versions from stored raw bodies")
    rx.add_argument("--source", metavar="NAME", help="only this source's articles")
    rx.set_defaults(func=cmd_reextract)

    dc = sub.add_parser("discover", parents=[common], help="find a site's feeds and sitemaps, print source entries")
    dc.add_argument("site_url", metavar="SITE_URL", help="the site's home page, e.g. https://example.com")
    dc.set_defaults(func=cmd_discover)

    op = sub.add_parser("import-opml", parents=[common], help="turn a feed reader's OPML export into source entries")
    op.add_argument("file", metavar="FILE", help="the OPML file a feed reader exported")
    op.add_argument("--check", action="store_true", help="fetch each feed and say what answered")
    op.set_defaults(func=cmd_import_opml)

    sv = sub.add_parser("serve", parents=[common], help="the archive browser and its JSON API")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    sv.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations")
    sv.add_argument("--base-url", metavar="URL", type=_base_url,
                    help="the archive's public address (https://archive.example.org): the Atom feed's and the "
                         "evidence page's links start with it; without it they are relative (never from Host)")
    sv.set_defaults(func=cmd_serve)

    de = sub.add_parser("demo", help="an offline first run: a simulated news site, archived twice, in the browser")
    de.add_argument("--dir", metavar="DIR", help="keep the demo's archive and config in DIR (default: a temporary "
                                                 "folder, removed when the demo ends)")
    de.add_argument("--host", default="127.0.0.1", help="address the browser listens on (default 127.0.0.1)")
    de.add_argument("--port", type=int, default=8080, help="the browser's port (default 8080, or a free one if taken)")
    de.set_defaults(func=cmd_demo)

    sub.add_parser("schema", parents=[common], help="the config file's JSON Schema").set_defaults(func=cmd_schema)
    pr = sub.add_parser("prune", parents=[common], help="delete old fetch-log rows as the config's `retention` says")
    pr.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")
    pr.set_defaults(func=cmd_prune)
    st = sub.add_parser("status", parents=[common], help="sources: last polls, failures, health")
    st.add_argument("--json", action="store_true", help="one JSON document (archive counts, sources, fleet) for scripts")
    st.set_defaults(func=cmd_status)
    return p


# --- helpers -----------------------------------------------------------------------------------


def _load_config(args: argparse.Namespace, required: bool = True):  # type: ignore[no-untyped-def]
    from worker.config import load_config, resolve_config_path

    path = resolve_config_path(args.config)
    if not required and args.config is None and not Path(path).exists():
        return None
    return load_config(path)


def _database_url(args: argparse.Namespace, config: Any) -> str:
    """The database URL, checked (a malformed or unsupported one is a usage error, exit 2)."""
    from worker.store.engine import DEFAULT_DATABASE, BadDatabaseUrl, parse_database_url

    flag = "--db" if args.db else "NEWSARCHIVE_DATABASE_URL" if os.environ.get("NEWSARCHIVE_DATABASE_URL") else None
    url = (args.db or os.environ.get("NEWSARCHIVE_DATABASE_URL")
           or (config.database if config is not None else None) or DEFAULT_DATABASE)
    try:
        parse_database_url(url)
    except BadDatabaseUrl as e:
        where = flag or (f"{config.path}: database" if config is not None else "database")
        raise UsageError(f"{where}: {e}") from None
    return url


def _cannot_open(url: str, e: BaseException) -> Exception:
    """What an error opening the archive means for the operator: a usage error (2) or unreachable (1)."""
    from worker.store.engine import ArchiveMissing, BadDatabaseUrl, mask_url

    if isinstance(e, UsageError | Unavailable):
        return e
    if isinstance(e, BadDatabaseUrl):
        return UsageError(str(e))
    if isinstance(e, ArchiveMissing):
        return Unavailable(f"{e}: run `newsarchive db upgrade` (or `newsarchive run`) to make it, or give "
                           "--db the URL of the archive")
    return Unavailable(f"cannot open the database {mask_url(url)}: {_short(getattr(e, 'orig', None) or e)}")


def _engine(args: argparse.Namespace, *, writer: bool = False, migrate: bool = False):  # type: ignore[no-untyped-def]
    from worker.store.engine import make_engine, mask_url
    from worker.store.migrate import pending, upgrade

    config = None if (args.db or os.environ.get("NEWSARCHIVE_DATABASE_URL")) else _load_config(args, required=False)
    url = _database_url(args, config)
    try:
        if migrate:
            upgrade(url)
        elif pending(url):
            raise UsageError(f"the archive at {mask_url(url)} is empty or its schema is behind: "
                             "run `newsarchive db upgrade` (or `newsarchive run`) first")
        return make_engine(url, writer=writer, create=migrate)
    except Exception as e:
        raise _cannot_open(url, e) from None


def _damaged(e: BaseException) -> bool:
    """A SQLite error that means the file itself is corrupt."""
    import sqlite3

    orig = getattr(e, "orig", None) or e
    return isinstance(orig, sqlite3.DatabaseError) and any(
        words in str(orig) for words in ("malformed", "file is not a database", "file is encrypted"))


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a bad one is argparse's usage error, exit 2)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1")
    return n


def _short(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]")


def _printable(text: str, lines: bool = False) -> str:
    """Archived text for a terminal: control characters (ESC sequences, CR, BEL, bidi overrides) removed,
    so a headline cannot repaint or retitle the terminal. `lines` keeps newlines and tabs; JSON needs none
    of this (it escapes them)."""
    text = _CONTROLS.sub("", text)
    return text if lines else _LINE_BREAKS.sub(" ", text)


def _write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n


def _parse_since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since: {text!r} is not an ISO 8601 date or time (e.g. 2026-11-01T00:00:00Z)") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# --- commands ----------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    config = _load_config(args)
    enabled = sum(1 for s in config.sources if s.enabled)
    print(f"{config.path}: {len(config.sources)} sources ({enabled} enabled)")
    for s in config.sources:
        when = f"cron {s.cron}" if s.cron else f"every {_human(s.every or 0)}"
        target = s.url or f"{len(s.urls)} urls"
        state = "" if s.enabled else "  [disabled]"
        print(f"  {s.name:<24} {s.kind:<8} {when:<18} {target}{state}")
    for warning in _private_address_warnings(config.sources):
        print(f"warning: {warning}")
    return 0


def _private_address_warnings(sources: Any) -> list[str]:
    """Sources whose URLs are on private or loopback addresses while allow_private_networks is off:
    every fetch of theirs would be refused (refused_address), so say it before the first run."""
    from urllib.parse import urlsplit

    from worker.fetch.netguard import refused_hosts

    wanted: dict[str, list[str]] = {}  # host -> names of the sources that would be refused
    for s in sources:
        if s.enabled and not s.fetch.allow_private_networks:
            for url in [s.url] if s.url else list(s.urls):
                try:
                    host = urlsplit(url).hostname
                except ValueError:
                    continue
                if host and s.name not in wanted.setdefault(host, []):
                    wanted[host].append(s.name)
    hooks: dict[str, list[str]] = {}  # host -> sources whose webhook deliveries would be refused
    for s in sources:
        if s.enabled and s.notify is not None and not s.notify.allow_private_networks:
            host = urlsplit(s.notify.url).hostname
            if host:
                hooks.setdefault(host, []).append(s.name)
    if not wanted and not hooks:
        return []
    refused = asyncio.run(refused_hosts(list({**wanted, **hooks})))
    return [f"source {name}: {why.split(' (')[0]}, so its fetches will fail (refused_address). For a local "
            f"or intranet site set `allow_private_networks: true` on it (or in defaults)"
            for host, why in refused.items() for name in wanted.get(host, [])] + \
        [f"source {name}: its notify webhook's host {why.split(' (')[0]}, so its deliveries will fail "
         f"(refused_address). For a local receiver set `allow_private_networks: true` on the source (or in defaults)"
         for host, why in refused.items() for name in hooks.get(host, [])]


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def cmd_db(args: argparse.Namespace) -> int:
    from worker.store.engine import mask_url
    from worker.store.migrate import upgrade

    config = None if (args.db or os.environ.get("NEWSARCHIVE_DATABASE_URL")) else _load_config(args, required=False)
    url = _database_url(args, config)
    try:
        upgrade(url)
    except Exception as e:
        err = _cannot_open(url, e)
        raise type(err)(str(err).replace("cannot open the database", "cannot upgrade")) from None
    print(f"{mask_url(url)}: schema up to date")
    return 0


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)  # stopped before the service was up: nothing had started, nothing is lost


def cmd_run(args: argparse.Namespace) -> int:
    import signal

    signal.signal(signal.SIGTERM, _exit_quietly)  # the service installs its own handlers once running
    from worker.service import run_service

    config = _load_config(args)
    known = {s.name for s in config.sources}
    unknown = [n for n in args.source if n not in known]
    if unknown:
        raise UsageError(f"--source {unknown[0]}: no such source in {config.path} (have: {', '.join(sorted(known))})")
    if args.recheck and not args.once:
        raise UsageError("--recheck goes with --once: one pass that fetches the known articles again")
    url = _database_url(args, config)
    _check_database(url, migrate=not args.no_migrate, wait=not args.once)
    if args.fleet or os.environ.get("NEWSARCHIVE_RUNNER") == "fleet":
        return _run_fleet(args, config, url)
    from worker.examiners import default_budget, default_limits, default_processes
    from worker.store.service_lock import ping_interval

    try:
        examiners = default_processes()
        default_budget(), default_limits(), ping_interval()  # checked here: a bad value is one line, not a traceback
    except ValueError as e:
        raise UsageError(str(e)) from None
    with _single_runner(url, fleet=False):  # a second plain run would fetch every article again
        if args.recheck:
            _recheck(url, args.source)
        return asyncio.run(run_service(config, url, once=args.once, only=args.source, migrate=False,
                                       examiners=examiners))


def _single_runner(url: str, *, fleet: bool) -> Any:
    """The archive's runner lock (worker/store/service_lock.py); held elsewhere: exit 1, naming --fleet."""
    from worker.store.service_lock import single_runner

    return single_runner(url, fleet=fleet, refuse=Unavailable)


def _recheck(url: str, sources: list[str]) -> None:
    from datetime import UTC, datetime

    from worker.store.engine import make_engine
    from worker.store.repository import ArchiveStore

    engine = make_engine(url)
    try:
        marked = ArchiveStore(engine).recheck(sources, datetime.now(UTC))
    finally:
        engine.dispose()
    print(f"recheck: {marked} known article{'s' if marked != 1 else ''} to fetch again", file=sys.stderr)


def _run_fleet(args: argparse.Namespace, config: Any, url: str) -> int:
    from worker.runners.distributed import run_fleet
    from worker.store.engine import mask_url

    if args.once or args.source:
        raise UsageError("--once and --source run in one process; leave out --fleet (and NEWSARCHIVE_RUNNER=fleet)")
    if not url.startswith("postgres"):
        raise UsageError(f"--fleet needs a PostgreSQL archive, not {mask_url(url)} (--db postgresql://user@host/db)")
    from worker.store.service_lock import ping_interval

    try:
        ping_interval()
    except ValueError as e:
        raise UsageError(str(e)) from None
    with _single_runner(url, fleet=True):  # shared with the other workers, never with a plain run
        return asyncio.run(run_fleet(config, url, migrate=not args.no_migrate))


DB_WAIT_FIRST, DB_WAIT_MAX = 1.0, 30.0  # seconds between two looks for a database that is not there yet


def _check_database(url: str, *, migrate: bool, wait: bool = False) -> None:
    """Migrate and connect once before any work, so an unreachable database is one clear line (exit 1).
    With `wait` (the service), a database that is down or still starting is waited for instead, with
    backoff and a warning per try, so a service that boots before its PostgreSQL simply starts late."""
    import time

    from worker.store.engine import is_unavailable, make_engine, mask_url
    from worker.store.migrate import pending, upgrade

    delay = DB_WAIT_FIRST
    while True:
        try:
            if migrate:
                upgrade(url)
            elif pending(url):
                raise UsageError(f"the archive at {mask_url(url)} is empty or its schema is behind: "
                                 "run `newsarchive db upgrade` first, or leave out --no-migrate")
            engine = make_engine(url)
            try:
                with engine.connect():
                    pass
            finally:
                engine.dispose()
            if delay > DB_WAIT_FIRST:
                log.info("the database %s is there; starting", mask_url(url))
            return
        except Exception as e:
            if not (wait and is_unavailable(e)):
                raise _cannot_open(url, e) from None
            cause = _short(getattr(e, "orig", None) or e)
            log.warning("waiting for the database %s: %s; next try in %.0fs", mask_url(url), cause, delay,
                        extra={"database": mask_url(url), "retry_in": delay})
            time.sleep(delay)
            delay = min(delay * 2, DB_WAIT_MAX)


def _writable_output(path: str | None) -> None:
    """-o FILE: its folder must exist (a usage error, before any work, rather than a traceback after)."""
    if path is None:
        return
    folder = Path(path).expanduser().parent
    if not folder.is_dir():
        raise UsageError(f"-o {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"-o {path}: the folder {folder} is not writable")
    if Path(path).is_dir():
        raise UsageError(f"-o {path}: that is a folder; give a file name")


def cmd_export(args: argparse.Namespace) -> int:
    from worker.logs import progress
    from worker.store.reading import iter_versions

    since = _parse_since(args.since)
    _writable_output(args.output)
    if args.sign_key and args.format != "wacz":
        raise UsageError("--sign-key signs a WACZ: use it with --format wacz")
    if args.format == "wacz" and not args.output:
        raise UsageError("--format wacz writes a ZIP file: give -o FILE.wacz")
    url = args.url or None
    engine = _engine(args)
    if args.format in ("warc", "wacz"):
        return _export_warc(args, engine, since, url)
    records = progress(iter_versions(engine, latest=args.latest, source=args.source, since=since, url=url),
                       None, "export")
    if args.output:
        from worker.atomic_file import atomic_output

        with atomic_output(args.output) as out:
            n = _write_jsonl(records, out)
        print(f"wrote {n} versions to {args.output}", file=sys.stderr)
    else:
        _write_jsonl(records, sys.stdout)
    return 0


def _export_warc(args: argparse.Namespace, engine: Any, since: datetime | None, url: str | None) -> int:
    from worker.export import user_agents_of, write_warc, write_warc_to

    config = _load_config(args, required=False)
    agents = user_agents_of(config.sources) if config is not None else {}
    filters = dict(latest=args.latest, source=args.source, since=since, url=url, user_agents=agents)
    if args.format == "wacz":
        from worker.export.signing import SigningKeyError, load_signing_key
        from worker.export.wacz import write_wacz

        try:
            key = load_signing_key(args.sign_key) if args.sign_key else None
        except SigningKeyError as e:
            raise UsageError(str(e)) from None
        n = write_wacz(engine, args.output, sign_key=key, **filters)
        print(f"wrote {n} versions to {args.output}{' (signed)' if key else ''}", file=sys.stderr)
        return 0
    if args.output:
        n = write_warc(engine, args.output, **filters)
        print(f"wrote {n} versions to {args.output}", file=sys.stderr)
    elif sys.stdout.isatty():
        raise UsageError("--format warc writes a binary file: give -o FILE.warc.gz (or redirect standard output)")
    else:
        write_warc_to(sys.stdout.buffer, engine, **filters)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from worker.export.verify import VerifyFailed, verify_wacz

    if not Path(args.file).is_file():
        raise UsageError(f"{args.file}: no such file")
    try:
        done = verify_wacz(args.file)
    except VerifyFailed as e:
        print(f"newsarchive verify: {args.file}: FAILED: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        raise UsageError(f"{args.file}: cannot read it ({e.strerror or e})") from None
    signed = f"; signature valid (key {done.signed_by})" if done.signed_by else "; not signed"
    notes = "".join(f"; {n}" for n in done.notes)
    print(f"{args.file}: ok: {done.files} files match their SHA-256, {done.records} WARC records their "
          f"digests{signed}{notes}")
    return 0


def _default_policy(args: argparse.Namespace) -> Any:
    from worker.values import FetchPolicy

    config = _load_config(args, required=False)
    return config.fetch_defaults if config is not None else FetchPolicy()


def cmd_discover(args: argparse.Namespace) -> int:
    from worker.fetch import Fetcher
    from worker.finder import find_sources, render_yaml, site_root

    try:
        site_root(args.site_url)
    except ValueError as e:
        raise UsageError(f"discover: {e}") from None
    policy = _default_policy(args)

    why: dict[str, str] = {}

    async def go() -> list[Any]:
        async with Fetcher() as fetcher:
            return await find_sources(args.site_url, policy, fetcher, why)

    found = asyncio.run(go())
    if not found and args.site_url in why:  # not "no feed found": the site did not answer at all
        print(f"newsarchive: discover: {args.site_url} did not answer: {why[args.site_url]}", file=sys.stderr)
        return NOTHING_DONE
    sys.stdout.write(render_yaml(found))
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    from worker.fetch import Fetcher
    from worker.finder import VIA_OPML, OpmlError, check_url, opml_sources, opml_yaml

    try:
        data = Path(args.file).read_bytes()
        entries = opml_sources(data)
    except OSError as e:
        raise UsageError(f"{args.file}: cannot read it: {e.strerror}") from None
    except OpmlError as e:
        raise UsageError(f"{args.file}: {e}") from None
    checked, why = None, {}
    if args.check:
        policy = _default_policy(args)

        async def go() -> dict[str, Any]:
            async with Fetcher() as fetcher:
                results = await asyncio.gather(*(check_url(e["url"], policy, fetcher, VIA_OPML, why)
                                                 for e in entries))
            return {e["url"]: r for e, r in zip(entries, results, strict=True)}

        checked = asyncio.run(go())
    sys.stdout.write(opml_yaml(data, checked, why))
    return 0


def cmd_fetches(args: argparse.Namespace) -> int:
    from worker.store.reading import iter_fetches

    since = _parse_since(args.since)
    _write_jsonl(iter_fetches(_engine(args), failed=args.failed, source=args.source, since=since, limit=args.limit),
                 sys.stdout)
    return 0


def _article_or_fail(engine: Any, url: str) -> int:
    from worker.store.reading import find_article
    from worker.urls import canonicalize

    article_id = find_article(engine, canonicalize(url) or url) or find_article(engine, url)
    if article_id is None:
        raise UsageError(f"{url}: not in the archive")
    return article_id


def cmd_history(args: argparse.Namespace) -> int:
    from worker.store.reading import article_versions, reprints_of

    engine = _engine(args)
    article_id = _article_or_fail(engine, args.url)
    versions = article_versions(engine, article_id)
    reprints = reprints_of(engine, article_id)
    if args.json:
        for v in versions:
            v.pop("text", None)
        print(json.dumps({"url": versions[0]["url"] if versions else args.url, "versions": versions,
                          "reprints": reprints}, ensure_ascii=False, indent=2))
        return 0
    print(_printable(versions[0]["url"] if versions else args.url))
    for v in versions:
        dup = f"  (same text as {v['duplicate_of']['url']} v{v['duplicate_of']['version']})" if v["duplicate_of"] else ""
        words = len(v["text"].split())
        print(_printable(f"  v{v['version']:<3} first seen {v['first_seen_at']}  last seen {v['last_seen_at']}  "
                         f"{v['content_hash'][:12]}  {words} words  {v['title']}{dup}"))
    for r in reprints:
        print(_printable(f"  reprinted at {r['url']} (v{r['version']}, first seen {r['first_seen_at']})"))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from worker.diffing import render_diff
    from worker.store.reading import article_versions

    engine = _engine(args)
    versions = article_versions(engine, _article_or_fail(engine, args.url))
    numbers = [v["version"] for v in versions]
    if args.versions and len(args.versions) != 2:
        raise UsageError("diff takes two version numbers, or none for the latest two")
    if len(versions) < 2 and not args.versions:
        print(f"{args.url}: only one version; nothing to compare")
        return 0
    a, b = args.versions or numbers[-2:]
    for n in (a, b):
        if n not in numbers:
            raise UsageError(f"{args.url} has no version {n} (it has {', '.join(map(str, numbers))})")
    by = {v["version"]: v for v in versions}
    sys.stdout.write(_printable(render_diff(by[a], by[b]), lines=True))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from worker.extract_inputs import extract_inputs

    failed = 0
    for rec in extract_inputs(args.inputs, args.base_url):
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if rec.get("error"):
            failed += 1
            detail = rec.get("detail") or rec.get("error")
            fix = f"; {rec['hint']}" if rec.get("hint") else ""
            print(f"newsarchive: extract: {rec['url']}: {detail}{fix}", file=sys.stderr)
    if failed:
        print(f"newsarchive: extract: {failed} of {len(args.inputs)} inputs failed", file=sys.stderr)
        return NOTHING_DONE
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from worker.extract import EXTRACTOR_VERSION, extract
    from worker.store.rebuild import rebuild

    config = _load_config(args, required=False)
    rules = {s.name: s.extract for s in config.sources} if config else {}
    from worker.logs import ProgressCounter

    engine = _engine(args, writer=True, migrate=True)
    with ProgressCounter(label="articles") as bar:  # drawn on a terminal only
        stats = rebuild(engine, extract, rules, source=args.source, progress=bar.update,
                        extractor_version=EXTRACTOR_VERSION)
    print(f"reextract: {stats.summary()}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from worker.store.engine import mask_url
    from worker.store.migrate import pending, upgrade
    from worker.web import serve

    config = _load_config(args, required=False)  # optional: it adds schedules and health to /sources
    url = _database_url(args, config)
    _port_free(args.host, args.port)
    try:
        if not args.no_migrate:  # the search index comes with migrations (0003, 0006)
            upgrade(url)
        elif pending(url):
            raise UsageError(f"the archive at {mask_url(url)} is empty or its schema is behind: "
                             "run `newsarchive db upgrade` first, or leave out --no-migrate")
    except Exception as e:
        raise _cannot_open(url, e) from None
    return serve(url, config, host=args.host, port=args.port, base_url=args.base_url)


def _base_url(value: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and parts.hostname and not (parts.query or parts.fragment)
    except ValueError:
        ok = False
    if not ok or _CONTROLS.search(value) or " " in value:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) address such as https://archive.example.org")
    return value.rstrip("/")


def _port_free(host: str, port: int) -> None:
    """Bind and let go, so a taken port is one clear line before anything else is said or done."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as e:
        raise UsageError(f"--host {host}: not an address this machine has ({e.strerror or e})") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(addr)
        except PermissionError:
            raise UsageError(f"--port {port}: not allowed for this user (ports below 1024 need root)") from None
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise Unavailable(f"cannot listen on {host}:{port}: the port is in use (another `newsarchive "
                                  "serve`?); stop that or choose another --port") from None
            raise Unavailable(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from worker.demo import run_demo

    return run_demo(Path(args.dir).expanduser() if args.dir else None, host=args.host, port=args.port)


def cmd_schema(args: argparse.Namespace) -> int:
    from worker.config import config_json_schema

    print(json.dumps(config_json_schema(), indent=2))
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    from worker.config import RetentionConfig
    from worker.store.retention import describe, prune

    config = _load_config(args, required=False)  # no config file: the default ages
    if config is not None and not args.db:
        args.db = _database_url(args, config)  # the config's database, as `run` uses it
    engine = _engine(args, writer=True)
    result = prune(engine, config.retention if config else RetentionConfig(), datetime.now(UTC), dry_run=args.dry_run)
    print("\n".join(describe(result, args.dry_run)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from worker.store.overview import list_sources
    from worker.store.reading import counts

    config = _load_config(args, required=False)  # optional: it adds disabled and overdue sources
    engine = _engine(args)
    now = datetime.now(UTC)
    c = counts(engine)
    with engine.connect() as conn:
        sources = list_sources(conn, config, now)
    fleet = None
    if engine.dialect.name == "postgresql":
        from worker.runners.distributed import fleet_status, format_fleet_status

        fleet = fleet_status(engine)
    if args.json:
        from dataclasses import asdict

        print(json.dumps({"archive": c, "sources": sources, "fleet": asdict(fleet) if fleet else None},
                         ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"archive: {c['articles']} articles, {c['versions']} versions, {c['fetches']} fetches "
          f"({c['failed_fetches']} failed)")
    for s in sources:
        ok = {True: "ok", False: "failed", None: ""}[s["last_poll_ok"]]
        why = f": {'; '.join(s['problems'])}" if s["problems"] else ""
        print(_printable(f"  {s['name']:<24} last poll {s['last_polled_at'] or 'never'} {ok:<6}  articles {s['articles']}  "
                         f"failures(24h) {s['failures_24h']}/{s['fetches_24h']}  revisits due {s['revisits_due']}  "
                         f"{s['state'].upper() if s['state'] != 'healthy' else 'healthy'}{why}"))
    if fleet is not None:
        print("\n".join(format_fleet_status(fleet)))
    return 0
