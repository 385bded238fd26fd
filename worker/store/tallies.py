"""The fetch tallies (table fetch_tallies, migration 0008): every request ever made, counted by
(source, purpose, HTTP status, error kind) with its latency histogram.

The writer adds each fetch it logs in the same transaction (`add`), so /metrics and `status` read a
few rows however long the fetch log is, and `prune` may shorten the log without a counter going down.
The increments of one transaction are summed and written in key order at its end (`flush`): two
workers of a fleet lock the rows they share in the same order, and a batch of captures of one source
writes its row once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from worker.store.models import TALLY_BUCKETS_MS, FetchTally

SHARDS = 4  # rows per key: a fleet's workers (pid % SHARDS) mostly update different ones
_PENDING = "newsarchive_fetch_tallies"  # Connection.info key: this transaction's increments
_TABLE = FetchTally.__table__
_COUNTED = ("n", "duration_ms", *(f"le_{b}" for b in TALLY_BUCKETS_MS))
Key = tuple[int, str, int, str]


def key_of(values: Mapping[str, Any]) -> Key:
    """A fetch row's tally key, from its column values (worker/store/repository.py _fetch_values)."""
    return (values.get("source_id") or 0, values["purpose"], values.get("status") or 0, values.get("error") or "")


def add(c: Connection, fetch_values: Iterable[Mapping[str, Any]]) -> None:
    """Count these fetch rows, written in this transaction, at its `flush`."""
    pending: dict[Key, list[int]] = c.info.setdefault(_PENDING, {})
    for v in fetch_values:
        ms = int(v.get("duration_ms") or 0)
        row = pending.setdefault(key_of(v), [0] * len(_COUNTED))
        row[0] += 1
        row[1] += ms
        for i, bound in enumerate(TALLY_BUCKETS_MS, start=2):
            row[i] += ms <= bound


def flush(c: Connection) -> None:
    """Write this transaction's increments (call it last in the transaction, before its commit)."""
    pending: dict[Key, list[int]] = c.info.pop(_PENDING, {})
    if not pending:
        return
    shard = os.getpid() % SHARDS
    mod = postgresql if c.dialect.name == "postgresql" else sqlite
    stmt = mod.insert(_TABLE)
    stmt = stmt.on_conflict_do_update(
        index_elements=["source_id", "purpose", "status", "error", "shard"],
        set_={col: _TABLE.c[col] + stmt.excluded[col] for col in _COUNTED})
    rows = [{"source_id": k[0], "purpose": k[1], "status": k[2], "error": k[3], "shard": shard,
             **dict(zip(_COUNTED, counted, strict=True))} for k, counted in sorted(pending.items())]
    for row in rows:  # one statement per row, in key order (an executemany may not keep the order)
        c.execute(stmt, row)


@contextmanager
def counting(c: Connection) -> Iterator[None]:
    """Inside a transaction: the fetches `add`ed in the block are written at its end; none when it fails."""
    c.info[_PENDING] = {}
    try:
        yield
    except BaseException:
        c.info.pop(_PENDING, None)  # the transaction is rolled back: so are its counts
        raise
    flush(c)
