"""Every flaw refbot can reproduce, one line each: name -> the audit finding it reproduces.

Profile naive = all of them, hardened = none; REFBOT_FLAWS picks any subset. Each flaw is also
listed, with a description, in ../faultline.json "flaws" (a test keeps the two equal), which is
what the mutation matrix and `faultline repro` read. Code tests a flaw with cfg.flags.has(NAME).
"""

from __future__ import annotations

FLAWS: dict[str, str] = {}


def flaw(name: str, finding: str) -> str:
    assert name not in FLAWS, f"flaw {name} defined twice"
    FLAWS[name] = finding
    return name


# stale-or-gappy-data: mids cleared on market-WS disconnect, orders sized off the entry price.
CLEAR_PRICES_ON_DISCONNECT = flaw("clear-prices-on-disconnect", "000_2ae31cbfe79758d1.txt#S-C2")
# one-order-per-intent: an order POST that times out / loses its connection / gets a 5xx is re-sent
# under a NEW clientOrderId (a retry decorator without a deterministic id).
BLIND_RETRY_ON_TIMEOUT = flaw(
    "blind-retry-on-timeout", "003_a7371304fd1017c8.txt#bybitclient-create-order-is-decorated-with-automatic-retry"
)
# clock-skew-fails-closed: the drift guard's error is swallowed and the offset reset to 0.
RESET_CLOCK_OFFSET_ON_ERROR = flaw(
    "reset-clock-offset-on-error", "003_a7371304fd1017c8.txt#sync-server-time-raises-on-critical-ahead-of"
)
# reconnect-refetch-private-state: after a user-stream gap the stream is marked up and trading goes
# on without re-fetching positions or open orders.
NO_RESYNC_AFTER_USER_STREAM_GAP = flaw("no-resync-after-user-stream-gap", "003_a7371304fd1017c8.txt#private-reconnection-detection-flips-state-to-connected-but")
# reconnect-refetch-private-state: the gap recovery re-fetches positions but not open orders; every
# order in flight is assumed done.
RESYNC_SKIPS_OPEN_ORDERS = flaw("resync-skips-open-orders", "003_a7371304fd1017c8.txt#handle-stale-connection-refreshes-wallet-and-positions-via")
# fills-positions-budget-match-venue: the portfolio ledger books an order's full quantity on its
# first fill and ignores the venue's position snapshots (two sources of truth).
BOOK_ORDER_QTY_ON_FIRST_FILL = flaw("book-order-qty-on-first-fill", "004_8a8a9a4995486b8f.txt#C-PORT-03")
# loop-never-stalls: journal writes open a SQLite connection per write on the event loop thread,
# without WAL, waiting up to 5 s for a lock (also 000_2ae31cbfe79758d1.txt#E-H3).
SQLITE_ON_LOOP = flaw("sqlite-on-loop", "000_2ae31cbfe79758d1.txt#S-H4")
# loop-never-stalls: the REST mid cross-check is a blocking HTTP call on the event loop with a
# retry loop that time.sleep()s its backoff.
BLOCKING_REST_RETRY = flaw("blocking-rest-retry", "000_2ae31cbfe79758d1.txt#E-H4")
# redis-db-outage-single-writer: the Redis leader lock is a flag set once: blind PEXPIRE renewal,
# no lease check before trading, so a paused or partitioned holder trades beside the new one.
UNFENCED_LEADER_LOCK = flaw("unfenced-leader-lock", "002_3e6ca2bf6dfde12d.txt#R8")
# config-fails-fast: an invalid numeric REFBOT_* value (typo, NaN, out of range) is logged and
# replaced by its default instead of refusing to start (schema-less config merge; also 001#C2).
INVALID_CONFIG_FALLS_BACK_TO_DEFAULT = flaw("invalid-config-falls-back-to-default", "002_3e6ca2bf6dfde12d.txt#R5")
# config-fails-fast: REFBOT_MAX_PRICE_AGE_MS is clamped to one week instead of a sane bound, so a
# config that lets the bot act on day-old prices is accepted.
WEEK_LONG_PRICE_AGE_BOUND = flaw("week-long-price-age-bound", "000_2ae31cbfe79758d1.txt#E-H9")
# config-fails-fast: a symbol the venue does not list makes start-up return early; the process
# lives on half-initialised, never flagged unhealthy and never exiting.
UNKNOWN_SYMBOL_KEEPS_RUNNING = flaw("unknown-symbol-keeps-running", "001_0474a2fd1532b929.txt#C3")
# degenerate-market-data: bookTicker prices are used without validation (a "0" bid halves the mid
# and doubles the order size; NaN/negative reach the sizing division).
NO_PRICE_SANITY = flaw("no-price-sanity", "004_8a8a9a4995486b8f.txt#M-ADAPTER-01")
# tick-step-symbol-filters: order quantity rounded with Decimal.quantize(stepSize), which is not a
# multiple of a non-power-of-10 step (0.25), instead of flooring to a multiple of stepSize.
QUANTIZE_TO_STEP = flaw("quantize-to-step", "003_a7371304fd1017c8.txt#round-price-calculate-qty-use-decimal-quantize-with")
# bounded-resources: the market-feed watchdog restarts a silent stream with a new session (its own
# connection pool) and never closes the old session or its task: one socket leaked per restart.
LEAK_SESSION_ON_RESTART = flaw("leak-session-on-restart", "004_8a8a9a4995486b8f.txt#H-ADAPTER-02")
# clean-sigterm: on SIGTERM the bot cancels its orders and exits, leaving its position neither
# closed nor protected by a stop.
NO_CLOSE_ON_STOP = flaw("no-close-on-stop", "001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no")
# clean-sigterm: the alert worker is a non-daemon `while True` thread with no stop condition, never
# joined, so the process hangs at exit (also 004_8a8a9a4995486b8f.txt#C-SERV-02).
ALERT_WORKER_NEVER_STOPS = flaw("alert-worker-never-stops", "000_2ae31cbfe79758d1.txt#S-M3")
# clean-sigterm: the runner's transition map disallows ERROR -> STOPPING, so a stop while in ERROR
# skips the cancel/close cleanup.
ERROR_STATE_BLOCKS_STOP = flaw("error-state-blocks-stop", "003_a7371304fd1017c8.txt#invalid-state-transition-cleanup-gap-stop-requires-transition")
# outbound-discipline: a 429/418 is an error like any other; Retry-After is never read and the bot
# keeps sending at its normal rate until the venue bans it.
IGNORE_RETRY_AFTER = flaw("ignore-retry-after", "002_3e6ca2bf6dfde12d.txt#no-exponential-backoff-visible-in-code-scan")
# outbound-discipline: the order loop treats all errors alike and re-sends a permanently rejected
# order (margin, precision, min notional) as-is.
RETRY_PERMANENT_ERRORS = flaw("retry-permanent-errors", "004_8a8a9a4995486b8f.txt#H-SERV-01")
# outbound-discipline: a failing endpoint is retried at a fixed short pause, without exponential
# backoff or circuit breaker (also 002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis, 004#H-SERV-03).
RETRY_WITHOUT_BACKOFF = flaw("retry-without-backoff", "002_3e6ca2bf6dfde12d.txt#no-circuit-breaker-pattern-for-external-apis")
# exits-reduce-only-verified: a position on the wrong side of the target is closed and reopened by
# one plain (not reduce-only) order.
FLIP_WITHOUT_REDUCE_ONLY_EXIT = flaw("flip-without-reduce-only-exit", "001_0474a2fd1532b929.txt#M2")
# crash-consistent-state: a corrupt/torn refbot-state.json is ignored and the clientOrderId counter
# restarts at 0, so a restarted bot re-sends ids it already used (also 004_8a8a9a4995486b8f.txt#C-FSM-04).
RESET_ORDER_IDS_ON_CORRUPT_STATE = flaw("reset-order-ids-on-corrupt-state", "004_8a8a9a4995486b8f.txt#C-FSM-03")
# crash-consistent-state: nothing is recovered at start-up (no account/positionRisk/openOrders read);
# a restarted bot assumes it is flat and trades on top of what its killed predecessor left.
NO_RECOVERY_ON_START = flaw("no-recovery-on-start", "004_8a8a9a4995486b8f.txt#C-FSM-01")
# reconnect-refetch-private-state: listenKeyExpired is only logged; the dead user stream is never
# reconnected and the bot trades on without private updates.
NO_RECONNECT_ON_LISTEN_KEY_EXPIRED = flaw("no-reconnect-on-listen-key-expired", "000_2ae31cbfe79758d1.txt#S-M4")
# halt-kill-switch-circuit-breaker: the re-send of an intent (the retry path) goes out without
# asking the halt gate (refbot/killswitch.py); only the trading tick checks it.
RETRY_BYPASSES_HALT = flaw("retry-bypasses-halt", "001_0474a2fd1532b929.txt#M1")
# halt-kill-switch-circuit-breaker: the kill switch's halt lives in memory only, so a restart
# starts un-halted and trades before the cooldown is over.
HALT_NOT_PERSISTED = flaw("halt-not-persisted", "001_0474a2fd1532b929.txt#M9")
# loop-never-stalls: the REST mid check's worker thread holds the price book's lock (which the
# market-data handler on the event loop also takes) across its HTTP call, timeout inside the lock
# (also 004_8a8a9a4995486b8f.txt#C-ADAPTER-01).
LOCK_HELD_DURING_IO = flaw("lock-held-during-io", "004_8a8a9a4995486b8f.txt#H-ENG-05")
# halt-kill-switch-circuit-breaker: the kill switch's start-up failure (unreadable persisted halt)
# is logged and swallowed; the bot trades without a kill switch.
KILL_SWITCH_START_FAILURE_SWALLOWED = flaw("kill-switch-start-failure-swallowed", "001_0474a2fd1532b929.txt#C5")
# outbound-discipline: the rate limiter guards the trading paths only; market-data GETs (ticker,
# depth) bypass it and keep polling through a Retry-After pause (also 004_8a8a9a4995486b8f.txt#H-ADAPTER-03).
LIMITER_SKIPS_MARKET_DATA = flaw("limiter-skips-market-data", "004_8a8a9a4995486b8f.txt#H-SERV-04")
# config-fails-fast: an unknown REFBOT_* variable (a typo such as REFBOT_MAX_NOTIONAL for
# REFBOT_MAX_NOTIONAL_USD) is ignored, so the intended setting silently keeps its default.
UNKNOWN_OPTION_IGNORED = flaw("unknown-option-ignored", "002_3e6ca2bf6dfde12d.txt#R5")
# bounded-resources: fill reconciliation opens its own SQLite connection and leaks it on every
# exception path (a locked journal): one connection and its file descriptors per failed pass.
RECONCILE_LEAKS_DB_CONNECTION = flaw("reconcile-leaks-db-connection", "000_2ae31cbfe79758d1.txt#E-C2")
# guards-fail-closed: the daily-loss seed's closed-PnL fetch swallows errors and returns [], which
# is taken for a successful seed ("no losses") and trading starts (refbot/riskguard.py).
LOSS_SEED_FAILS_OPEN = flaw("loss-seed-fails-open", "003_a7371304fd1017c8.txt#daily-loss-seeding-can-fail-open-get-closed")
# guards-fail-closed: the max-drawdown check's failure to read the balance is a warning and trading
# continues without the guard (refbot/riskguard.py).
DRAWDOWN_CHECK_FAILS_OPEN = flaw("drawdown-check-fails-open", "003_a7371304fd1017c8.txt#check-max-drawdown-treats-exceptions-as-non-fatal")
# control-api-hardened: the control API (refbot/control.py) has no rate limit; a flood is served in full.
CONTROL_NO_RATE_LIMIT = flaw("control-no-rate-limit", "000_2ae31cbfe79758d1.txt#T-H4")
# control-api-hardened: the control API reads request bodies of any size (no Content-Length cap, no 413).
CONTROL_NO_BODY_LIMIT = flaw("control-no-body-limit", "000_2ae31cbfe79758d1.txt#T-M5")
# control-api-hardened: a control API handler error is answered 500 with str(e), the traceback and
# the request context holding the API key (also 000_2ae31cbfe79758d1.txt#X-L2).
CONTROL_ERROR_LEAKS_INTERNALS = flaw(
    "control-error-leaks-internals", "001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses"
)
