"""Per-host politeness for a whole fleet of workers, kept in PostgreSQL.

The in-process Fetcher keeps one semaphore and one "next start" time per host; several workers on
several machines need the same two facts shared. They live in two tables (migration 0004):

    fleet_hosts(host, next_at)               earliest start of the next request to the host
    fleet_leases(id, host, holder, expires_at)   one row per request in flight (or about to start)

`fleet_acquire()` takes a lease in one round trip: it locks the host's row, sweeps expired leases,
and, when fewer than `concurrency` remain, reserves a start time `delay` after the previous one.
The caller sleeps until that start, makes its request, and deletes the lease. A lease expires
`lease` seconds after its start unless renewed; its holder renews it while the request runs, so a
worker killed with kill -9 blocks its host for at most one lease, never forever.

The gate has the same interface as the in-process one (`turn(key, concurrency, delay)`), so the
Fetcher takes either: `Fetcher(gate=FleetGate(pool, holder=...))`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator

import psycopg
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger(__name__)

DEFAULT_LEASE = 30.0  # seconds a slot stays taken without renewal: a dead worker's slot frees after this
POLL_MIN, POLL_MAX = 0.02, 0.5  # seconds between two tries at a full host (with jitter)
DB_RETRIES = 3  # attempts at one gate statement when a connection turns out broken (a restart)


class FleetGate:
    """Fleet-wide per-host concurrency and spacing; see the module docstring."""

    def __init__(self, pool: AsyncConnectionPool, *, holder: str, lease: float = DEFAULT_LEASE) -> None:
        self._pool = pool
        self._holder = holder
        self._lease = lease
        # Local waiters queue here first, so a worker asks the database for at most `concurrency`
        # slots of one host at a time instead of every waiting job polling it.
        self._local: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def turn(self, key: str, concurrency: int, delay: float) -> AsyncIterator[None]:
        local = self._local.get(key)
        if local is None:
            local = self._local[key] = asyncio.Semaphore(max(1, concurrency))
        async with local:
            lease_id, wait = await self._acquire(key, concurrency, delay)
            renewer = asyncio.create_task(self._renew(lease_id))
            try:
                if wait > 0:
                    await asyncio.sleep(wait)  # inside try: a cancelled waiter gives its slot back
                yield
            finally:
                renewer.cancel()
                await self._release(lease_id)

    async def _acquire(self, key: str, concurrency: int, delay: float) -> tuple[int, float]:
        """A lease on a slot of `key` and the seconds to wait before its reserved start."""
        pause = POLL_MIN
        while True:
            row = await self._execute(
                "SELECT lease_id, wait_seconds FROM fleet_acquire(%s, %s, %s, %s, %s)",
                (key, concurrency, delay, self._lease, self._holder),
            )
            lease_id, wait = row if row else (None, None)
            if lease_id is not None:
                return int(lease_id), float(wait or 0.0)
            await asyncio.sleep(pause * random.uniform(0.5, 1.5))  # jitter: contenders do not march in step
            pause = min(pause * 2, POLL_MAX)

    async def _renew(self, lease_id: int) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                await asyncio.sleep(self._lease / 3)
                try:
                    await self._execute(
                        "UPDATE fleet_leases SET expires_at = clock_timestamp() + make_interval(secs => %s) "
                        "WHERE id = %s", (self._lease, lease_id))
                except psycopg.Error as e:  # the lease then just expires; the request goes on
                    log.warning("fleet gate: cannot renew lease %s: %s", lease_id, e)

    async def _release(self, lease_id: int) -> None:
        try:
            await self._execute("DELETE FROM fleet_leases WHERE id = %s", (lease_id,))
        except psycopg.Error as e:  # it expires on its own
            log.warning("fleet gate: cannot release lease %s: %s", lease_id, e)

    async def _execute(self, sql: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        """One autocommitted statement, retried on a broken connection (PostgreSQL restarted)."""
        for attempt in range(DB_RETRIES):
            try:
                async with self._pool.connection() as conn:
                    cur = await conn.execute(sql, params)
                    return await cur.fetchone() if cur.description else None
            except psycopg.OperationalError:
                if attempt == DB_RETRIES - 1:
                    raise
                await asyncio.sleep(0.2 * (attempt + 1))
        return None  # not reached


def make_gate_pool(conninfo: str, max_size: int) -> AsyncConnectionPool:
    """A small autocommit pool for the gate; broken connections are checked out and replaced."""
    return AsyncConnectionPool(
        conninfo, min_size=1, max_size=max(2, max_size), open=False, kwargs={"autocommit": True},
        check=AsyncConnectionPool.check_connection, name="fleet-gate",
    )
