"""The local depth book (refbot/depth.py) and its two flaws, depth-ignores-sequence and
depth-resume-without-snapshot (001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars), against
the fix: a gap or a reconnect makes the book unusable until it is rebuilt from a snapshot."""

from __future__ import annotations

import asyncio
import functools

import pytest

from refbot import flaws
from refbot.depth import DepthFeed, chains, depth_feed, parse_depth_update


def ev(u: int, pu: int, bid: float, ask: float, gone_bid: float | None = None, gone_ask: float | None = None) -> dict:
    b = [[str(bid), "1.000"]] + ([[str(gone_bid), "0"]] if gone_bid is not None else [])
    a = [[str(ask), "1.000"]] + ([[str(gone_ask), "0"]] if gone_ask is not None else [])
    return {"e": "depthUpdate", "E": 1, "T": 1, "s": "BTCUSDT", "U": u, "u": u, "pu": pu, "b": b, "a": a}


class Snapshots:
    """A venue whose book top is (bid, ask) at update id `u`."""

    def __init__(self) -> None:
        self.u, self.bid, self.ask, self.calls = 10, 100.0, 101.0, 0

    async def __call__(self) -> dict:
        self.calls += 1
        return {"lastUpdateId": self.u, "bids": [[str(self.bid), "1.000"]], "asks": [[str(self.ask), "1.000"]]}


def sync(fn):
    """Runs an async test in its own event loop (refbot's tests use no pytest plugin)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return run


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def synced_feed(**kw) -> tuple[DepthFeed, Snapshots]:
    snaps = Snapshots()
    feed = DepthFeed("BTCUSDT", snaps, **kw)
    feed.on_up()
    feed.on_message(ev(10, 9, 100.0, 101.0))  # buffered, already in the snapshot
    await settle()
    assert feed.synced and feed.may_open_risk()
    return feed, snaps


def test_flaws_are_registered():
    assert flaws.FLAWS["depth-ignores-sequence"] == "001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars"
    assert flaws.FLAWS["depth-resume-without-snapshot"] == "001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars"
    f = depth_feed("BTCUSDT", None, frozenset({"depth-ignores-sequence"}))
    assert f.ignore_sequence and not f.resume_without_snapshot


def test_parse_and_chain():
    e = parse_depth_update({"stream": "btcusdt@depth@100ms", "data": ev(5, 4, 1.0, 2.0)}, "BTCUSDT")
    assert e is not None and (e.first, e.last, e.prev) == (5, 5, 4)
    assert parse_depth_update(ev(5, 4, 1.0, 2.0), "ETHUSDT") is None
    assert parse_depth_update({**ev(5, 4, 1.0, 2.0), "b": [["NaN", "1"]]}, "BTCUSDT") is None
    assert chains(e, 4) and not chains(e, 3)


@sync
async def test_no_risk_before_the_first_snapshot_then_buffered_events_apply():
    snaps = Snapshots()
    feed = DepthFeed("BTCUSDT", snaps)
    feed.on_up()
    assert not feed.may_open_risk()
    feed.on_message(ev(11, 10, 100.5, 101.5, gone_bid=100.0, gone_ask=101.0))  # after the snapshot's u=10
    await settle()
    assert snaps.calls == 1 and feed.synced
    assert feed.book.touch() == (100.5, 101.5) and feed.book.last_u == 11


@sync
async def test_hardened_gap_drops_the_book_until_a_new_snapshot():
    feed, snaps = await synced_feed()
    feed.on_message(ev(11, 10, 99.0, 100.0, gone_bid=100.0, gone_ask=101.0))
    # u=12 is lost (it moved the bid back up to 100 and removed 99); u=13 arrives with pu=12.
    snaps.u, snaps.bid, snaps.ask = 13, 101.0, 102.0
    feed.on_message(ev(13, 12, 101.0, 102.0, gone_bid=100.0, gone_ask=101.0))
    assert not feed.synced and not feed.may_open_risk() and feed.gaps == 1
    await settle()
    assert snaps.calls == 2 and feed.synced and feed.book.touch() == (101.0, 102.0)


@sync
async def test_flaw_ignores_the_gap_and_keeps_a_level_the_lost_event_removed():
    feed, snaps = await synced_feed(ignore_sequence=True)
    feed.on_message(ev(11, 10, 99.0, 100.0, gone_bid=100.0, gone_ask=101.0))
    feed.on_message(ev(13, 12, 101.0, 102.0, gone_bid=100.0, gone_ask=101.0))  # lost u=12 removed bid 99
    assert feed.synced and feed.gaps == 0 and snaps.calls == 1
    assert sorted(feed.book.bids) == [99.0, 101.0]  # 99 is stale for good
    assert sorted(feed.book.asks) == [100.0, 102.0]  # and so is the ask 100: the book is crossed
    assert feed.may_open_risk()  # and risk is opened on it


@sync
async def test_hardened_reconnect_rebuilds_from_a_snapshot():
    feed, snaps = await synced_feed()
    feed.on_down()
    assert not feed.may_open_risk()
    snaps.u, snaps.bid, snaps.ask = 20, 110.0, 111.0
    feed.on_up()
    feed.on_message(ev(21, 20, 110.5, 111.5, gone_bid=110.0, gone_ask=111.0))
    await settle()
    assert snaps.calls == 2 and feed.synced and feed.book.touch() == (110.5, 111.5)
    assert 100.0 not in feed.book.bids


@sync
async def test_flaw_resumes_the_old_book_after_a_reconnect():
    feed, snaps = await synced_feed(resume_without_snapshot=True)
    feed.on_down()
    feed.on_up()
    assert feed.may_open_risk()  # still "synced"
    feed.on_message(ev(21, 20, 110.5, 111.5, gone_bid=110.0, gone_ask=111.0))
    assert snaps.calls == 1 and feed.book.last_u == 21
    assert 100.0 in feed.book.bids  # the level from before the reconnect is still there
    # Within a connection the flaw still detects gaps.
    feed.on_message(ev(23, 22, 110.0, 111.0))
    assert not feed.synced and feed.gaps == 1
    await settle()


@sync
async def test_snapshot_failures_are_retried_and_block_risk_meanwhile(monkeypatch):
    monkeypatch.setattr("refbot.depth.RETRY_START_S", 0.01)
    calls = {"n": 0}
    good = Snapshots()

    async def flaky() -> dict:
        calls["n"] += 1
        if calls["n"] < 3:
            raise OSError("refused")
        return await good()

    feed = DepthFeed("BTCUSDT", flaky)
    feed.on_up()
    await asyncio.sleep(0.005)
    assert not feed.may_open_risk()
    await asyncio.sleep(0.2)
    assert calls["n"] == 3 and feed.synced


@pytest.mark.parametrize("bid,ask,ok", [(100.0, 101.0, True), (100.0, 103.0, False)])
@sync
async def test_spread_guard(bid, ask, ok):
    feed, _ = await synced_feed()
    feed.book.bids, feed.book.asks = {bid: 1.0}, {ask: 1.0}
    assert feed.may_open_risk() is ok
