"""The fleet-wide politeness gate (worker/fetch/fleet.py) and the distributed runner's small helpers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, _pg_admin
from worker.fetch import Fetcher
from worker.fetch.fleet import FleetGate, make_gate_pool
from worker.runners.distributed import (
    FleetSettings,
    conninfo_of,
    every_seconds_cron,
    fleet_status,
    format_fleet_status,
    lock_key,
)
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.values import FetchPolicy


@pytest.fixture(scope="module")
def gate_db() -> Iterator[str]:
    """One migrated database for the gate tests (migrating costs seconds); each test uses its own hosts."""
    admin = _pg_admin()
    name = f"na_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
async def pool(gate_db: str) -> AsyncIterator[object]:
    p = make_gate_pool(gate_db, 8)
    await p.open()
    try:
        yield p
    finally:
        await p.close()


async def test_concurrency_holds_across_gates(pool: object) -> None:
    """Two gates (two workers) on one database: never more than `concurrency` holders of a host."""
    gates = [FleetGate(pool, holder=f"w{i}") for i in range(2)]  # type: ignore[arg-type]
    inside, peak = 0, 0

    async def one(gate: FleetGate) -> None:
        nonlocal inside, peak
        async with gate.turn("example.org", 2, 0.0):
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.05)
            inside -= 1

    await asyncio.gather(*(one(gates[i % 2]) for i in range(12)))
    assert peak == 2


async def test_delay_spaces_reserved_starts(pool: object, gate_db: str) -> None:
    """Whoever asks, each slot's start is reserved `delay` after the previous one (the database's clock)."""
    gates = [FleetGate(pool, holder=f"w{i}", lease=60) for i in range(3)]  # type: ignore[arg-type]
    waits = [await gates[i % 3]._acquire("slow.example", 10, 0.25) for i in range(5)]
    with psycopg.connect(gate_db) as conn:
        ends = [e for (e,) in conn.execute("SELECT expires_at FROM fleet_leases WHERE host = 'slow.example' "
                                           "ORDER BY expires_at").fetchall()]
    starts = [e.timestamp() - 60 for e in ends]  # a lease expires `lease` after its reserved start
    assert all(b - a >= 0.25 - 1e-6 for a, b in zip(starts, starts[1:], strict=False)), starts
    assert waits[0][1] == 0.0 and sum(w for _, w in waits) > 0  # the first starts now; later ones wait


async def test_hosts_are_independent(pool: object) -> None:
    gate = FleetGate(pool, holder="w")  # type: ignore[arg-type]
    async with gate.turn("a.example", 1, 0.0), gate.turn("b.example", 1, 0.0):
        pass  # would wait forever if one host's slot blocked the other


async def test_dead_workers_slot_expires(pool: object, gate_db: str) -> None:
    """A lease whose holder died (never released, never renewed) frees the host after its lease."""
    with psycopg.connect(gate_db, autocommit=True) as conn:
        conn.execute("INSERT INTO fleet_leases (host, holder, expires_at) "
                     "VALUES ('dead.example', 'gone:1', clock_timestamp() + interval '0.5 seconds')")
    gate = FleetGate(pool, holder="alive")  # type: ignore[arg-type]
    async with asyncio.timeout(10):
        async with gate.turn("dead.example", 1, 0.0):
            pass
    with psycopg.connect(gate_db) as conn:
        assert conn.execute("SELECT holder FROM fleet_leases WHERE host = 'dead.example'").fetchall() == []


async def test_held_lease_is_renewed_and_released(pool: object, gate_db: str) -> None:
    gate = FleetGate(pool, holder="w", lease=0.3)  # type: ignore[arg-type]
    async with gate.turn("long.example", 1, 0.0):
        await asyncio.sleep(0.5)  # longer than the lease: renewal keeps it
        with psycopg.connect(gate_db) as conn:
            assert conn.execute("SELECT count(*) FROM fleet_leases WHERE host = 'long.example' "
                                "AND expires_at > clock_timestamp()").fetchone() == (1,)
    with psycopg.connect(gate_db) as conn:
        assert conn.execute("SELECT count(*) FROM fleet_leases WHERE host = 'long.example'").fetchone() == (0,)


async def test_cancelled_waiter_gives_its_slot_back(pool: object, gate_db: str) -> None:
    gate = FleetGate(pool, holder="w")  # type: ignore[arg-type]
    async with gate.turn("c.example", 2, 5.0):
        waiter = asyncio.create_task(gate.turn("c.example", 2, 5.0).__aenter__())
        await asyncio.sleep(0.3)  # it holds a lease and sleeps until its reserved start, 5 s on
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    with psycopg.connect(gate_db) as conn:
        assert conn.execute("SELECT count(*) FROM fleet_leases WHERE host = 'c.example'").fetchone() == (0,)


async def test_fetcher_uses_the_gate(pool: object, gate_db: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, html="<p>hi</p>"))
    policy = FetchPolicy(allow_private_networks=True, respect_robots=False)
    async with Fetcher(transport=transport, gate=FleetGate(pool, holder="w")) as fetcher:  # type: ignore[arg-type]
        fetched = await fetcher.fetch("http://news.example/a", policy, purpose="article")
    assert fetched.status == 200
    with psycopg.connect(gate_db) as conn:
        assert conn.execute("SELECT count(*) FROM fleet_hosts WHERE host = 'news.example'").fetchone() == (1,)


# --- helpers of the distributed runner -----------------------------------------------------------


def test_lock_key_matches_postgresql(gate_db: str) -> None:
    url = "https://example.com/world/2026/ünïcode-story?id=1"
    with psycopg.connect(gate_db) as conn:
        assert conn.execute("SELECT 'url:' || md5(%s)", (url,)).fetchone() == (lock_key(url),)


def test_every_seconds_cron() -> None:
    assert every_seconds_cron(10) == "* * * * * */10"
    assert every_seconds_cron(7) == "* * * * * */6"  # a divisor of the minute
    assert every_seconds_cron(0) == "* * * * * */1"
    assert every_seconds_cron(300) == "* * * * *"


def test_settings_from_env() -> None:
    s = FleetSettings.from_env({"NEWSARCHIVE_FLEET_CONCURRENCY": "4", "NEWSARCHIVE_FLEET_STALLED_AFTER": "2.5"})
    assert (s.concurrency, s.stalled_after, s.tick) == (4, 2.5, FleetSettings.tick)


def test_conninfo_needs_postgresql() -> None:
    assert conninfo_of("postgresql+psycopg://u:p@h/db") == "postgresql://u:p@h/db"
    with pytest.raises(ValueError, match="PostgreSQL"):
        conninfo_of("sqlite:///x.sqlite3")


def test_status_without_a_fleet(sqlite_url: str, pg_url: str) -> None:
    assert fleet_status(make_engine(sqlite_url)) is None
    assert fleet_status(make_engine(pg_url)) is None  # not migrated: no queue yet
    assert format_fleet_status(None)[0].startswith("fleet: none")


def test_status_of_an_idle_fleet(gate_db: str) -> None:
    st = fleet_status(make_engine(gate_db))
    assert st is not None and st.workers == [] and st.waiting == 0 and st.oldest_waiting_since is None
    assert "0 workers alive" in format_fleet_status(st)[0]
