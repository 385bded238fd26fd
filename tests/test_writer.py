"""The archive's writer: in a process of its own it writes what a thread writes, sent the packed body
only; killed, its write is made again by a new one; the stop signals a service manager sends to the
whole process group are left to the main process."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from worker.examine import examine_for_archive
from worker.store import bodies
from worker.store.engine import make_engine
from worker.store.migrate import upgrade
from worker.store.models import Article, Body, Fetch, Version
from worker.store.repository import ArchiveStore, Capture
from worker.values import Fetched
from worker.writer import Writer, _sendable

PAGES = Path(__file__).parent / "pages"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
N = 300  # writes queued when the writer is killed: some done, one under way, the rest waiting


def capture(sid: int, name: str, url: str, at: datetime = T0) -> tuple[Capture, bytes]:
    """A capture as the pipeline sends it to the writer: the raw body left out, its packed form in."""
    body = (PAGES / name).read_bytes()
    fetched = Fetched(requested_url=url, final_url=url, status=200, body=body, content_type="text/html",
                      fetched_at=at, purpose="article", duration_ms=1, attempts=1,
                      body_sha256=hashlib.sha256(body).hexdigest())
    seen = examine_for_archive(fetched, url, None, None)
    assert seen.extracted is not None and seen.packed_body is not None
    cap = Capture(sid, url, None, replace(fetched, body=None), seen.extracted, (3600.0,), None, (),
                  seen.packed_body, seen.minhash, seen.content_hash, len(body))
    return cap, body


async def started(writer: Writer, sid: int, url: str) -> tuple[object, list[int]]:
    """Make the writer start its process with a first write: its pool and the pool's process ids."""
    await writer.write("record_capture", capture(sid, "ar_khabar.html", url)[0])
    pool = writer._executor
    return pool, list(pool._processes)  # type: ignore[union-attr]


@pytest.fixture
def store(db_url: str) -> ArchiveStore:
    upgrade(db_url)
    return ArchiveStore(make_engine(db_url))


@pytest.mark.parametrize("process", [False, True], ids=["thread", "process"])
async def test_the_writer_stores_the_body_it_was_not_sent(store: ArchiveStore, process: bool) -> None:
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    writer = Writer(store, process=process)
    try:
        cap, body = capture(sid, "en_magazine.html", "https://news.example/m")
        decision = await writer.write("record_capture", cap)
        assert decision.kind == "new"
        again, _ = capture(sid, "en_magazine.html", "https://news.example/m", T0 + timedelta(hours=1))
        assert (await writer.write("record_capture", again)).kind == "same"
    finally:
        writer.close()
    with store.session() as s:
        stored = s.scalars(select(Body)).one()
        assert (stored.size, bodies.unpack(stored.data)) == (len(body), body)
        assert [f.body_size for f in s.scalars(select(Fetch).order_by(Fetch.id))] == [len(body)] * 2


async def test_a_killed_writer_is_replaced_and_nothing_is_lost(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    writer = Writer(store, process=True)
    try:
        pool, pids = await started(writer, sid, "https://n.example/first")
        made = [capture(sid, name, "https://n.example/x")[0]
                for name in ("de_nachrichten.html", "en_magazine.html", "ar_khabar.html")]
        pending = [asyncio.ensure_future(writer.write("record_capture", replace(made[i % 3], url=f"https://n.example/{i}")))
                   for i in range(N)]
        await asyncio.sleep(0.05)
        for pid in pids:  # as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        decisions = await asyncio.gather(*pending)
        assert writer._executor is not pool
        assert {d.kind for d in decisions} <= {"new", "same"}  # "same": written, then written again
    finally:
        writer.close()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == N + 1
        assert s.scalar(select(func.count()).select_from(Version)) == N + 1


async def test_the_writing_process_leaves_stop_signals_to_the_main_one(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    writer = Writer(store, process=True)
    try:
        pool, pids = await started(writer, sid, "https://n.example/a")
        for pid in pids:
            os.kill(pid, signal.SIGTERM)  # what systemd sends every process of the service
            os.kill(pid, signal.SIGINT)  # what Ctrl-C sends the terminal's process group
        await asyncio.sleep(0.3)
        await writer.write("record_capture", capture(sid, "en_magazine.html", "https://n.example/b")[0])
        assert writer._executor is pool  # the same process wrote it
    finally:
        writer.close()


async def test_writes_that_arrive_together_share_a_commit(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    commits = []
    event.listen(store.engine, "commit", lambda conn: commits.append(1))
    made = capture(sid, "en_magazine.html", "https://n.example/x")[0]
    writer = Writer(store)
    try:
        decisions = await asyncio.gather(*(writer.write("record_capture", replace(made, url=f"https://n.example/{i}"))
                                           for i in range(30)))
    finally:
        writer.close()
    assert [d.kind for d in decisions] == ["new"] * 30
    assert len(commits) < 10, len(commits)


def test_a_batch_with_a_failing_write_loses_none_of_the_others(store: ArchiveStore) -> None:
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    first, _ = capture(sid, "en_magazine.html", "https://n.example/1")
    second, _ = capture(sid, "de_nachrichten.html", "https://n.example/2")
    broken = replace(first.fetched, requested_url="https://n.example/3")
    results = store.write_batch([("record_capture", (first,)),
                                 ("record_failure", (broken, sid + 1000, "https://n.example/3", None, None)),  # no such source
                                 ("record_capture", (second,))])
    assert [ok for ok, _ in results] == [True, False, True]
    assert isinstance(results[1][1], IntegrityError)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Version)) == 2


async def test_writes_of_cancelled_callers_are_made_before_the_writer_closes(store: ArchiveStore) -> None:
    """A stopped pass (SIGTERM) cancels the captures waiting for their write: closing makes them."""
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    made = capture(sid, "en_magazine.html", "https://n.example/x")[0]
    writer = Writer(store)
    callers = [asyncio.ensure_future(writer.write("record_capture", replace(made, url=f"https://n.example/{i}")))
               for i in range(20)]
    await asyncio.sleep(0)  # queued
    for c in callers:
        c.cancel()
    await writer.aclose()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 20
    with pytest.raises(RuntimeError, match="closed"):
        await writer.write("record_capture", made)


def test_an_error_that_cannot_cross_to_the_main_process_is_sent_as_text() -> None:
    class Picky(Exception):
        def __init__(self, code: int, detail: str) -> None:  # pickling replays __init__ with args: breaks
            super().__init__(f"{code}: {detail}")

    sent = _sendable(Picky(7, "odd"))
    assert isinstance(sent, RuntimeError) and "Picky: 7: odd" in str(sent)
    plain = ValueError("fine")
    assert _sendable(plain) is plain


async def test_a_lingering_writer_gathers_writes_that_keep_coming(store: ArchiveStore,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes arriving one after another (each within the gap of the last) share one batch; a lone
    write goes once the gap passes, not after the whole linger."""
    import worker.writer

    monkeypatch.setattr(worker.writer, "LINGER_GAP", 1.0)  # generous: a loaded machine's sleeps overshoot
    sid = store.sync_sources([("s", "urls", None)], T0)["s"]
    made = capture(sid, "en_magazine.html", "https://n.example/x")[0]
    batches: list[int] = []
    write_batch = store.write_batch
    monkeypatch.setattr(store, "write_batch", lambda calls: batches.append(len(calls)) or write_batch(calls))
    writer = Writer(store, linger=60.0)
    try:
        callers = []
        for i in range(10):
            callers.append(asyncio.ensure_future(writer.write("record_capture", replace(made, url=f"https://n.example/{i}"))))
            await asyncio.sleep(0.01)
        assert [d.kind for d in await asyncio.gather(*callers)] == ["new"] * 10
        assert batches == [10]  # without the linger the first write goes alone
        lone = writer.write("record_capture", replace(made, url="https://n.example/lone"))
        assert (await asyncio.wait_for(lone, timeout=30)).kind == "new"  # the gap (1 s), not the linger (60 s)
        assert batches == [10, 1]
    finally:
        await writer.aclose()
