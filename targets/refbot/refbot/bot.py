"""Wiring: startup REST calls, the two streams, listenKey keepalive, the trader, shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import threading

import aiohttp

from . import flaws, probes, termlog
from .config import Config
from .control import ControlApi, start_control
from .haltcancel import cancel_working_on_halt
from .health import health_check
from .credentials import refuse_foreign_keys
from .depth import depth_feed, run_depth
from .filtercache import FilterCache, LiveFilters
from .liveness import AggregateLiveness, run_user_stream
from .graceful import GracefulStop
from .instrument import instrument_filters
from .killswitch import KillSwitch
from .limits import Limits
from .pnl import PnlTracker
from .ledger import OrderQtyLedger
from .posmode import check_position_mode
from .prices import PriceBook
from .restmid import SESSION_TIMEOUT_S
from .recovery import recover_on_start
from .outbound import OutboundGuard, RequestBlocked
from .rest import BinanceError, RestClient
from .resync import on_listen_key_expired, resync_private_state
from .riskguard import RiskGuard
from .tiers import LeverageTiers
from .candles import FIRST_CANDLE_WAIT_S, LiveCandles
from .sdnotify import Notifier
from .state import AccountState, ClientIds
from .strategy import Trader
from .services import Services
from .feedwatch import MarketFeed
from .quotes import read_book_ticker
from .streams import run_ws

log = logging.getLogger("refbot.bot")

STARTUP_ATTEMPTS = 10
HARD_EXIT_AFTER_S = 4.5  # a stuck shutdown still exits within the harness's 5 s grace


class Bot:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.symbol = cfg.symbol
        self.book = PriceBook(clear_on_disconnect=cfg.flags.clear_prices_on_disconnect)
        self.state = AccountState(cfg.symbol)
        self.state.audit = not cfg.flags.has(flaws.DRIFT_CORRECTED_SILENTLY)  # refbot/state.py
        self.pnl = PnlTracker(cfg.symbol, cfg.flags.flaws)  # realized PnL of its own fills (refbot/pnl.py)
        if cfg.flags.has(flaws.BOOK_ORDER_QTY_ON_FIRST_FILL):
            self.state.ledger = OrderQtyLedger()
        self.ids = ClientIds(cfg.instance_id, cfg.state_dir, cfg.flags.has(flaws.RESET_ORDER_IDS_ON_CORRUPT_STATE))
        self.services = Services(cfg, self.book)  # heartbeat, journal, REST mid check, leader lock
        # The live 1m candle from the market connection, over the warmup's REST candles (refbot/candles.py).
        self.candles = LiveCandles(
            self.symbol, cfg.flags.has(flaws.KLINE_OVERLAY_RAW_INTERVAL), lambda: self.services.warmup.last_row if self.services.warmup is not None else None
        )
        self.graceful = GracefulStop(cfg)  # runner lifecycle, alert worker, clean stop (refbot/graceful.py)
        # systemd notify: READY=1, WATCHDOG=1 from the loop, STOPPING=1 (refbot/sdnotify.py)
        self.notifier = Notifier(
            dict(os.environ), disabled=cfg.flags.has(flaws.NO_WATCHDOG), thread_pings=cfg.flags.has(flaws.WATCHDOG_PINGS_FROM_THREAD)
        )
        self.stop_event = asyncio.Event()
        self.have_price = asyncio.Event()
        self.user_up = asyncio.Event()
        self.listen_key: str | None = None
        self.session: aiohttp.ClientSession | None = None
        self.rest_session: aiohttp.ClientSession | None = None
        self.rest: RestClient | None = None
        self._user_connects = 0
        self._resync_lock = asyncio.Lock()
        self.control: ControlApi | None = None
        self._halt_tasks: set[asyncio.Task] = set()  # running halt cancels (refbot/haltcancel.py)
        self.liveness = AggregateLiveness() if cfg.flags.has(flaws.USER_STREAM_AGGREGATE_LIVENESS) else None
        self.filter_cache: FilterCache | None = None

    # -- lifecycle ----------------------------------------------------------------------
    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_signal, sig)
        # Every REST call of every path goes through the outbound guard (refbot/outbound.py).
        self.guard = OutboundGuard.for_flags(self.cfg.flags)
        # One session, its pool sized for concurrent market-data and order requests (aiohttp's 100).
        timeout = aiohttp.ClientTimeout(total=SESSION_TIMEOUT_S, sock_connect=5)
        self.session = aiohttp.ClientSession(timeout=timeout, middlewares=(self.guard.middleware,))
        # Flaw single-connection-pool (004_8a8a9a4995486b8f.txt#C-MAIN-06): REST calls get a session of
        # their own with ONE pooled connection, so a slow market-data request holds every order behind it.
        self.rest_session = self.session
        if self.cfg.flags.has(flaws.SINGLE_CONNECTION_POOL):
            self.rest_session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=timeout, middlewares=(self.guard.middleware,))
        self.rest = RestClient(
            self.rest_session, self.cfg.rest_url, self.cfg.api_key, self.cfg.api_secret, order_timeout_s=self.cfg.order_timeout_ms / 1000.0
        )
        self.rest.guard = self.guard  # type: ignore[attr-defined]
        self.rest.debug_unredacted = self.cfg.flags.has(flaws.DEBUG_LOG_LEAKS_API_KEY)  # refbot/reqlog.py
        tasks: list[asyncio.Task] = []
        code = 0
        try:
            startup = asyncio.create_task(self._startup())
            stopper = asyncio.create_task(self.stop_event.wait())
            await asyncio.wait({startup, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if not startup.done():
                startup.cancel()
                return 0
            stopper.cancel()
            filters = startup.result()  # raises if startup failed
            live = None  # flaw unknown-symbol-keeps-running: no filters at all (refbot/instrument.py)
            if filters is not None:
                if self.cfg.flags.has(flaws.QUANTIZE_TO_STEP):
                    filters = dataclasses.replace(filters, quantize_qty=True)  # refbot/sizing.py
                if self.cfg.flags.has(flaws.FLOAT_STEP_ROUNDING):
                    filters = dataclasses.replace(filters, float_qty=True)  # refbot/sizing.py
                # Filters re-read on market reconnects; the trader reads the cache's current entry (refbot/filtercache.py).
                self.filter_cache = FilterCache(self.symbol, filters, self.rest.exchange_info, self.cfg.flags.has(flaws.FILTERS_CACHE_CLEARED_ON_REFRESH))
                live = LiveFilters(self.filter_cache)
            trader = Trader(self.cfg, self.rest, self.book, self.state, live, self.ids)  # type: ignore[arg-type]
            trader.gate = self.services.leader
            trader.lifecycle = self.graceful.lifecycle
            trader.killswitch = KillSwitch(self.cfg)  # refbot/killswitch.py: halts gate every order path
            trader.killswitch.alert = self.graceful.alerts.alert  # halts alert the operator (refbot/alerting.py)
            trader.killswitch.on_halt = self._on_halt  # halts cancel working orders (refbot/haltcancel.py)
            self.graceful.lifecycle.on_error = self._on_error  # and so does entering ERROR
            trader.killswitch.restore()  # a halt persisted by the previous run is still in force
            trader.depth = depth_feed(self.symbol, self.rest, self.cfg.flags.flaws)  # refbot/depth.py: spread guard
            trader.riskguard = RiskGuard(self.rest, self.cfg.flags.flaws, self.cfg.max_drawdown_pct, self.cfg.max_daily_loss_usd, trader._resync_clock, state_dir=self.cfg.state_dir)
            trader.tiers = LeverageTiers(self.rest, self.symbol, self.cfg.flags.flaws)  # refbot/tiers.py: bracket cap
            trader.pnl = self.pnl
            trader.candles = self.candles
            trader.limits = Limits(  # refbot/limits.py: exposure incl. pending orders, order cap
                self.state, self.cfg.flags.flaws, self.cfg.max_exposure_usd, self.cfg.max_order_qty,
                lambda: self.services.rest_mid.last if self.services.rest_mid is not None else None,
            )
            health = health_check(  # GET /health (refbot/health.py)
                self.cfg,
                self.book,
                self.graceful.lifecycle,
                trader.killswitch,
                self.state,
                self.cfg.flags.has(flaws.HEALTH_ALWAYS_OK),
                stopping=self.stop_event.is_set,
                outlives_stop=self.cfg.flags.has(flaws.HEARTBEAT_OUTLIVES_STOP),
            )
            self.control = await start_control(self.cfg, trader.killswitch, self.state, health)  # refbot/control.py
            tasks = [
                asyncio.create_task(self._market_feed().run(), name="market"),
                asyncio.create_task(self._user_stream(trader), name="user"),
                asyncio.create_task(self._keepalive(), name="keepalive"),
                asyncio.create_task(run_depth(trader.depth, self.session, self.cfg.ws_url), name="depth"),
                asyncio.create_task(self._trade_when_ready(trader), name="trader"),
                asyncio.create_task(trader.killswitch.run(), name="killswitch"),
                asyncio.create_task(self.notifier.run_watchdog(), name="watchdog"),
                *self.services.tasks(self.rest_session),
            ]
            trader.warmup = self.services.warmup  # created by services.tasks(): its readiness gate (refbot/warmup.py)
            stopper = asyncio.create_task(self.stop_event.wait())
            done, _ = await asyncio.wait({stopper, *tasks}, return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                if t is not stopper and not t.cancelled() and t.exception() is not None:
                    log.error("task %s died: %r", t.get_name(), t.exception())
                    code = 1
            stopper.cancel()
        except Exception as e:
            log.error("startup failed: %s: %s", type(e).__name__, e)
            code = 1
        finally:
            await self._shutdown(tasks)
        return code

    def _on_halt(self, reason: str) -> None:
        """A halt began (on the event loop): cancel the working orders that add risk, verified."""
        if self.rest is None:
            return
        verified = not self.cfg.flags.has(flaws.HALT_CANCEL_UNVERIFIED)
        cancel = cancel_working_on_halt(
            self.rest, self.state, self.symbol, reason, verified, prefix=self.ids.prefix, batch_shape_mismatch=self.cfg.flags.has(flaws.BATCH_CANCEL_SHAPE_MISMATCH)
        )
        task = asyncio.get_running_loop().create_task(cancel, name="halt-cancel")
        self._halt_tasks.add(task)
        task.add_done_callback(self._halt_tasks.discard)

    def _on_error(self, reason: str) -> None:
        """The runner entered ERROR (on the event loop): it trades no more, so the orders it left working go too."""
        if self.cfg.flags.has(flaws.ERROR_STATE_KEEPS_ORDERS):
            # FLAW 004_8a8a9a4995486b8f.txt#H-FSM-05: ERROR without cleanup; working orders stay (ghost orders).
            return
        # FIX 004_8a8a9a4995486b8f.txt#H-FSM-05: cancel them, verified, as a halt does (refbot/haltcancel.py).
        self._on_halt(f"ERROR: {reason}")

    def _on_signal(self, sig: signal.Signals) -> None:
        log.info("received %s; shutting down", sig.name)
        if not self.stop_event.is_set():
            # Watchdog: whatever happens in the async shutdown, the process is gone in time.
            t = threading.Timer(HARD_EXIT_AFTER_S, lambda: (log.error("shutdown stuck; forcing exit"), os._exit(0)))
            t.daemon = True
            t.start()
        self.stop_event.set()

    async def _shutdown(self, tasks: list[asyncio.Task]) -> None:
        self.notifier.stopping()
        tasks = [*tasks, *self._halt_tasks]  # a halt's cancels still retrying: the stop cancels own orders itself
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=1.0)
        await self.graceful.stop(self.rest, self.state, self.ids, self.symbol)  # cancel orders, close position
        if self.listen_key and self.rest:
            try:
                await asyncio.wait_for(self.rest.delete_listen_key(timeout_s=2.0), 2.0)
                log.info("listenKey deleted")
            except Exception as e:
                log.warning("listenKey delete failed: %s", e)
        termlog.report_dropped()  # while the operator log is still attached (refbot/termlog.py)
        if self.control is not None:
            await self.control.close()
        await self.services.close()
        if self.rest_session is not None and self.rest_session is not self.session:
            try:
                await asyncio.wait_for(self.rest_session.close(), 1.0)
            except Exception:
                pass
        if self.session:
            try:
                await asyncio.wait_for(self.session.close(), 1.0)
            except Exception:
                pass
        self.notifier.close()

    # -- startup ------------------------------------------------------------------------
    async def _startup(self):
        assert self.rest
        delay = 0.25
        for attempt in range(1, STARTUP_ATTEMPTS + 1):
            try:
                offset = await self.rest.sync_time()
                log.info("clock offset %d ms", offset)
                filters = instrument_filters(await self.rest.exchange_info(), self.symbol, self.cfg.flags)
                if filters is None:
                    return None  # flaw unknown-symbol-keeps-running (refbot/instrument.py)
                log.info("filters %s: %s", self.symbol, filters)
                await check_position_mode(self.rest, self.cfg.flags)  # refbot/posmode.py: one-way only
                await recover_on_start(self.rest, self.state, self.symbol, self.cfg.flags.flaws, self.ids.warm)  # refbot/recovery.py
                self.listen_key = await self.rest.new_listen_key()
                log.info(
                    "profile=%s flaws=%s symbol=%s position=%s entry=%s",
                    self.cfg.flags.profile, ",".join(sorted(self.cfg.flags.flaws)) or "-", self.symbol, self.state.position, self.state.entry_price,
                )
                return filters
            except (BinanceError, aiohttp.ClientError, asyncio.TimeoutError, OSError, RequestBlocked) as e:
                refuse_foreign_keys(e, self.cfg.flags)  # refbot/credentials.py: rejected keys are fatal at once
                if attempt == STARTUP_ATTEMPTS:
                    raise
                log.warning("startup attempt %d failed: %s; retrying", attempt, e)
                await asyncio.sleep(delay)
                delay = min(2.0, delay * 2)

    async def _user_stream(self, trader: Trader) -> None:
        if self.cfg.flags.has(flaws.USER_STREAM_ONLY_WITH_POSITION):
            # FLAW 003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current: the audited
            # bot starts its private stream only for the symbols it holds a position in, and learns
            # its positions from REST. Starting flat, it sends its first order blind, then polls
            # positions (and open orders) until one shows up, and only then starts the stream.
            while self.state.position == 0:
                if trader.intents > 0:
                    try:
                        await resync_private_state(self.rest, self.state, self.symbol, self.cfg.flags.flaws)
                    except Exception as e:
                        log.warning("position poll failed: %s", e)
                    if self.state.position != 0:
                        break
                await asyncio.sleep(0.2)
        await run_user_stream(self.session, self._user_url, self._on_user, self._user_on_up, self._user_down, self.liveness)

    async def _trade_when_ready(self, trader: Trader) -> None:
        await self.have_price.wait()
        if not self.cfg.flags.has(flaws.USER_STREAM_ONLY_WITH_POSITION):
            # FIX 003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current:
            # the private stream is up before the first order, flat or not.
            await self.user_up.wait()
        if trader.depth is not None:
            await trader.depth.first_synced.wait()  # its spread guard needs a built book (refbot/depth.py)
        try:  # the decision candle's first push (refbot/candles.py); without one, decisions refuse anyway
            await asyncio.wait_for(self.candles.first.wait(), FIRST_CANDLE_WAIT_S)
        except asyncio.TimeoutError:
            log.warning("no live 1m candle within %.0f s of the first price; starting without one", FIRST_CANDLE_WAIT_S)
        probes.ready()
        self.notifier.send("READY=1")
        self.graceful.running()
        log.info("ready: trading every %d ms", self.cfg.trade_interval_ms)
        await trader.run()

    async def _keepalive(self) -> None:
        assert self.rest
        while True:
            await asyncio.sleep(self.cfg.listenkey_keepalive_s)
            try:
                await self.rest.keepalive_listen_key()
                log.info("listenKey kept alive")
            except Exception as e:
                log.warning("listenKey keepalive failed: %s", e)

    # -- market stream ----------------------------------------------------------------------
    async def _market_url(self) -> str:
        # bookTicker for prices, kline_1m for the decision candle (refbot/candles.py), both raw on one connection.
        return f"{self.cfg.ws_url}/ws/{self.symbol.lower()}@bookTicker/{self.symbol.lower()}@kline_1m"

    def _market_up(self) -> None:
        self.book.on_connect()
        probes.ws("market", "up")
        self.services.on_market_up()  # kline warmup (refbot/warmup.py)
        if self.filter_cache is not None:
            self.filter_cache.trigger()

    def _market_down(self) -> None:
        self.book.on_disconnect()
        probes.ws("market", "down")

    def _market_feed(self) -> MarketFeed:
        leak = self.cfg.flags.has(flaws.LEAK_SESSION_ON_RESTART)
        assert self.session
        return MarketFeed(self.session, self._market_url, self._on_market, self._market_up, self._market_down, self.cfg.market_stale_restart_ms, leak)

    def _on_market(self, data: dict) -> None:
        if self.liveness is not None:
            self.liveness.seen()  # flaw user-stream-aggregate-liveness: one count for all streams (refbot/liveness.py)
        if self.candles.on_message(data):
            return
        with self.services.book_lock:  # shared with the REST mid check (refbot/restmid.py)
            t = read_book_ticker(data, self.book, unchecked=self.cfg.flags.has(flaws.NO_PRICE_SANITY))
        if t is None:
            return
        sym = t[0]  # read_book_ticker applied it to the book
        if sym == self.symbol:
            self.have_price.set()

    # -- user stream ------------------------------------------------------------------------
    async def _user_url(self) -> str:
        assert self.rest
        if self._user_connects > 0 or self.listen_key is None:
            # POST returns the active key (or a fresh one if it expired during the gap).
            self.listen_key = await self.rest.new_listen_key()
        self._user_connects += 1
        return f"{self.cfg.user_ws_url}/ws/{self.listen_key}"

    async def _user_on_up(self) -> None:
        probes.ws("user", "up")
        if self.state.needs_resync:
            # Hardened: events were missed during the gap; re-read the position before trading again.
            async with self._resync_lock:
                try:
                    await resync_private_state(self.rest, self.state, self.symbol, self.cfg.flags.flaws)
                    self.state.needs_resync = False
                except Exception as e:
                    log.error("position re-sync failed (%s); will retry on next reconnect", e)
                    raise
        self.user_up.set()

    def _user_down(self) -> None:
        if self.cfg.flags.resync_position_on_user_reconnect:
            self.state.needs_resync = True
        probes.ws("user", "down")

    def _on_user(self, data: dict) -> str | None:
        self.services.on_user(data)
        e = data.get("e")
        if e == "ORDER_TRADE_UPDATE":
            self.pnl.on_order_update(data, self.state)  # before the state applies it (refbot/pnl.py)
            self.state.on_order_update(data)
        elif e == "ACCOUNT_UPDATE":
            self.state.on_account_update(data)
        elif e == "listenKeyExpired":
            return on_listen_key_expired(self.cfg.flags.flaws)  # refbot/resync.py
        elif e == "MARGIN_CALL":
            self._on_margin_call(data)
        return None

    def _on_margin_call(self, data: dict) -> None:
        """The venue says the position risk is too high: stop trading (ERROR), which cancels what is still working."""
        legs = ", ".join(f"{p.get('s')} {p.get('ps')} {p.get('pa')} (maint {p.get('mm')})" for p in data.get("p") or [])
        log.error("MARGIN_CALL from the venue: %s", legs or "no position listed")
        lifecycle = self.graceful.lifecycle
        if lifecycle.state == "RUNNING":
            lifecycle.to("ERROR", f"margin call: {legs}")
