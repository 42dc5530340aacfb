"""A local order book from the diff-depth stream (<symbol>@depth@100ms) and a REST snapshot.

The book feeds the spread guard: a MARKET order that opens risk is sent only into a book that is
not empty and whose spread is at most MAX_SPREAD of its mid (a thin or broken book
means a bad fill). A book that is not known to be in sync answers "no": no new risk on it.

Binance's procedure (the fix): on every (re)connect buffer the events, GET /fapi/v1/depth, drop the
events the snapshot already holds (u <= lastUpdateId), apply the rest if they chain on from it; then
each event's pu must equal the u of the event applied before it. A pu that does not is a gap (events
were lost): the book is out of sync until it is rebuilt from a new snapshot.

Finding 001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars ("No detection of gaps between
bars") lives here, as two flaws:
- depth-ignores-sequence: every diff is applied whatever its pu; a gap is never noticed, and levels
  the lost events removed stay in the book for good;
- depth-resume-without-snapshot: after a reconnect the old book is kept and the new connection's
  first event is taken as the next in sequence, so whatever changed while it was down is missed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from . import probes

log = logging.getLogger("refbot.depth")

SNAPSHOT_PATH = "/fapi/v1/depth"
SNAPSHOT_LIMIT = 5
MAX_BUFFER = 1000
MAX_SPREAD = 0.02  # 2 % of the mid
RETRY_START_S = 0.2
RETRY_CAP_S = 2.0


@dataclass(frozen=True)
class DepthEvent:
    first: int  # U
    last: int  # u
    prev: int  # pu
    bids: list[tuple[float, float]]
    asks: list[tuple[float, float]]


def _levels(raw: Any) -> list[tuple[float, float]]:
    out = []
    for lv in raw or []:
        p, q = float(lv[0]), float(lv[1])
        if not (p > 0 and q >= 0):  # NaN fails both
            raise ValueError(f"bad level {lv!r}")
        out.append((p, q))
    return out


def parse_depth_update(data: dict, symbol: str) -> DepthEvent | None:
    """A depthUpdate for symbol (raw or in a combined-stream envelope), else None."""
    if "stream" in data and isinstance(data.get("data"), dict):
        data = data["data"]
    if data.get("e") != "depthUpdate" or data.get("s") != symbol:
        return None
    try:
        return DepthEvent(int(data["U"]), int(data["u"]), int(data["pu"]), _levels(data.get("b")), _levels(data.get("a")))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


class DepthBook:
    def __init__(self) -> None:
        self.bids: dict[float, float] = {}
        self.asks: dict[float, float] = {}
        self.last_u: int | None = None

    def load(self, snapshot: dict) -> int:
        self.bids = dict(_levels(snapshot.get("bids")))
        self.asks = dict(_levels(snapshot.get("asks")))
        self.last_u = int(snapshot["lastUpdateId"])
        return self.last_u

    def apply(self, ev: DepthEvent) -> None:
        for side, levels in ((self.bids, ev.bids), (self.asks, ev.asks)):
            for p, q in levels:
                if q == 0:
                    side.pop(p, None)
                else:
                    side[p] = q
        self.last_u = ev.last

    def touch(self) -> tuple[float, float] | None:
        if not self.bids or not self.asks:
            return None
        return max(self.bids), min(self.asks)


def chains(ev: DepthEvent, last_u: int) -> bool:
    """ev is the event right after last_u: pu == last_u, or (the first one after a snapshot) U..u spans last_u + 1."""
    return ev.prev == last_u or ev.first <= last_u + 1 <= ev.last


class DepthFeed:
    def __init__(
        self,
        symbol: str,
        fetch_snapshot: Callable[[], Awaitable[Any]],
        ignore_sequence: bool = False,
        resume_without_snapshot: bool = False,
    ) -> None:
        self.symbol = symbol
        self.fetch_snapshot = fetch_snapshot
        self.ignore_sequence = ignore_sequence
        self.resume_without_snapshot = resume_without_snapshot
        self.book = DepthBook()
        self.synced = False
        self.buffer: list[DepthEvent] = []
        self.gaps = 0
        self.snapshots = 0
        self._rebase = False
        self._task: asyncio.Task | None = None
        self.first_synced = asyncio.Event()  # the bot trades only once its book was built (refbot/bot.py)

    # -- stream side ---------------------------------------------------------------------
    def on_up(self) -> None:
        if self.resume_without_snapshot and self.synced:
            # FLAW 001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars (depth-resume-without-snapshot):
            # the reconnect "resumes" the old book; the new connection's first event is taken as the
            # next one, whatever was lost while the stream was down.
            log.info("depth stream back: resuming the book at u=%s", self.book.last_u)
            self._rebase = True
            return
        # FIX: a new connection starts a new sequence; rebuild from a snapshot.
        self._resync("connected")

    def on_down(self) -> None:
        if not self.resume_without_snapshot:
            self.synced = False  # FIX: nothing received while down is in the book

    def on_message(self, data: dict) -> None:
        ev = parse_depth_update(data, self.symbol)
        if ev is None:
            return
        if not self.synced:
            if len(self.buffer) < MAX_BUFFER:
                self.buffer.append(ev)
            return
        last = self.book.last_u
        assert last is not None
        if self._rebase:
            self._rebase = False
            self.book.apply(ev)  # the flaw's "resume": no sequence check across the reconnect
            return
        if ev.last <= last:
            return  # already in the book
        if ev.prev != last and not self.ignore_sequence:
            # FIX 001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars: pu != last u means
            # events were lost; the book is wrong until a new snapshot.
            self.gaps += 1
            log.warning("depth gap: pu=%d after u=%d (event U=%d u=%d); rebuilding the book from a snapshot", ev.prev, last, ev.first, ev.last)
            probes.emit("depth-gap", symbol=self.symbol, lastU=last, pu=ev.prev, u=ev.last)
            self._resync("gap", ev)
            return
        # With the flaw depth-ignores-sequence (001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars)
        # a gap lands here too: applied on top of a book that missed the lost events.
        self.book.apply(ev)

    # -- snapshot ------------------------------------------------------------------------
    def _resync(self, why: str, first: DepthEvent | None = None) -> None:
        self.synced = False
        self._rebase = False
        self.buffer = [first] if first is not None else []
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._snapshot_loop(why), name="depth-snapshot")

    async def _snapshot_loop(self, why: str) -> None:
        delay = RETRY_START_S
        while not self.synced:
            try:
                snap = await self.fetch_snapshot()
                last = self.book.load(snap)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("depth snapshot failed (%s: %s); again in %.1f s", type(e).__name__, e, delay)
                await asyncio.sleep(delay)
                delay = min(RETRY_CAP_S, delay * 2)
                continue
            self.snapshots += 1
            pending, self.buffer = self.buffer, []
            ok = True
            for ev in pending:
                cur = self.book.last_u
                assert cur is not None
                if ev.last <= cur:
                    continue
                if not chains(ev, cur):
                    ok = False  # the buffer does not continue the snapshot: take another one
                    break
                self.book.apply(ev)
            if ok:
                self.synced = True
                self.first_synced.set()
                log.info("depth book synced (%s) at lastUpdateId=%d, now u=%s", why, last, self.book.last_u)
                probes.emit("depth-synced", symbol=self.symbol, reason=why, lastUpdateId=last)

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=1.0)

    # -- consumer side -------------------------------------------------------------------
    def may_open_risk(self) -> bool:
        """The spread guard: a synced, non-empty book whose spread is at most MAX_SPREAD of its mid. (A
        crossed book, negative spread, only comes from a broken sequence, which `synced` covers.)"""
        if not self.synced:
            return False
        top = self.book.touch()
        if top is None:
            return False
        bid, ask = top
        return (ask - bid) / ((ask + bid) / 2) <= MAX_SPREAD


def depth_url(ws_url: str, symbol: str) -> str:
    return f"{ws_url}/ws/{symbol.lower()}@depth@100ms"


def depth_feed(symbol: str, rest: Any, flagset: frozenset[str]) -> DepthFeed:
    """The feed with the flaws of flagset (refbot/flaws.py), its snapshots read through rest."""
    from . import flaws

    async def snapshot() -> Any:
        return await rest.request("GET", SNAPSHOT_PATH, [("symbol", symbol), ("limit", SNAPSHOT_LIMIT)])

    return DepthFeed(symbol, snapshot, flaws.DEPTH_IGNORES_SEQUENCE in flagset, flaws.DEPTH_RESUME_WITHOUT_SNAPSHOT in flagset)


async def run_depth(feed: DepthFeed, session: Any, ws_url: str) -> None:
    """The depth stream (reconnecting forever, refbot/streams.py) until cancelled."""
    from .streams import run_ws

    async def url() -> str:
        return depth_url(ws_url, feed.symbol)

    try:
        await run_ws("depth", session, url, feed.on_message, feed.on_up, feed.on_down)
    finally:
        await feed.close()
