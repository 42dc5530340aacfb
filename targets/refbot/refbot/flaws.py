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
# config-fails-fast: a numeric option set to "nan" passes the range test (`v < lo or v > hi` is false
# for NaN, no isfinite check), so a NaN risk limit is accepted and never trips (refbot/config_bounds.py).
NAN_CONFIG_ACCEPTED = flaw("nan-config-accepted", "000_2ae31cbfe79758d1.txt#E-M4")
# config-fails-fast: a numeric option beyond its bounds is silently clamped into them instead of
# refused (a 120 s order timeout silently becomes 60 s; refbot/config_bounds.py).
OUT_OF_RANGE_CONFIG_CLAMPED = flaw("out-of-range-config-clamped", "000_2ae31cbfe79758d1.txt#E-M7")
# config-fails-fast: an environment override of a risk limit (max drawdown, daily loss, notional,
# halt threshold) is applied without range validation (refbot/config_bounds.py).
RISK_OVERRIDE_UNCHECKED = flaw("risk-override-unchecked", "002_3e6ca2bf6dfde12d.txt#env-var-overrides-production-profile")
# clean-sigterm: the stop holds the shutdown lock while publishing the STOPPING transition, whose
# alert handler takes the same lock: the event loop deadlocks and the process hangs past its grace.
SHUTDOWN_LOCK_INVERSION = flaw("shutdown-lock-inversion", "004_8a8a9a4995486b8f.txt#H-SERV-05")
# bounded-resources: the operator decision file (refbot/decisions.py) is read whole and kept in memory
# without a size check: an oversized file is an RSS spike for as long as it stays.
DECISION_FILE_READ_WHOLE = flaw("decision-file-read-whole", "000_2ae31cbfe79758d1.txt#E-L3")
# loop-never-stalls: the fill handler logs and re-raises an execution it cannot apply (a duplicated
# or reordered fill event): the fill task dies and takes the bot down (refbot/fills.py).
FILL_HANDLER_RERAISES = flaw("fill-handler-reraises", "001_0474a2fd1532b929.txt#M4")
# loop-never-stalls: the partial-fill diagnostic log divides by the order's previous cumulative
# quantity, zero on its first slice, outside any guard: the fill task dies (refbot/fills.py).
PARTIAL_FILL_LOG_DIVIDES_BY_ZERO = flaw("partial-fill-log-divides-by-zero", "001_0474a2fd1532b929.txt#C8")
# loop-never-stalls: the kline warmup (at start and after each market-stream reconnect) is a
# blocking HTTP call on the event loop thread (refbot/warmup.py).
BLOCKING_KLINE_WARMUP = flaw("blocking-kline-warmup", "001_0474a2fd1532b929.txt#M3")
# outbound-discipline: one failed REST mid fetch switches that poll to slow mode for good; nothing
# switches it back after the venue recovers (refbot/restmid.py).
SLOW_MODE_AFTER_FETCH_FAILURE = flaw("slow-mode-after-fetch-failure", "004_8a8a9a4995486b8f.txt#H-SERV-02")
# paper-never-production-own-orders-only: the stop's order cleanup cancels with cancel-all for the
# symbol (DELETE allOpenOrders) instead of targeted cancels of its own ids (refbot/ownorders.py).
CANCEL_ALL_ON_STOP = flaw("cancel-all-on-stop", "000_2ae31cbfe79758d1.txt#E-M12")
# tick-step-symbol-filters: order quantity floored to stepSize in binary floats and the float's repr
# sent (round_size / PrecisionGuard): 33 * 0.1 = 3.3000000000000003 (also 001_0474a2fd1532b929.txt#C7).
FLOAT_STEP_ROUNDING = flaw("float-step-rounding", "000_2ae31cbfe79758d1.txt#S-H2")
# halt-kill-switch-circuit-breaker: the drawdown kill switch (refbot/drawdown.py) fires on the first
# reading beyond the limit, irreversibly, instead of after consecutive confirmations.
DRAWDOWN_SINGLE_READING = flaw("drawdown-single-reading", "001_0474a2fd1532b929.txt#M20")
# crash-consistent-state: the drawdown guard's peak equity lives in memory only (refbot/drawdown.py);
# a restart measures the drawdown from the already reduced equity and trades on.
DRAWDOWN_PEAK_NOT_PERSISTED = flaw("drawdown-peak-not-persisted", "001_0474a2fd1532b929.txt#M9")
# limits-count-pending: the max-exposure check sees the current position only (not the new order
# nor pending ones) and an order still working after the in-flight wait is assumed done (refbot/limits.py;
# also 002_3e6ca2bf6dfde12d.txt#R3).
EXPOSURE_IGNORES_PENDING = flaw("exposure-ignores-pending", "003_a7371304fd1017c8.txt#pre-trade-safety-path-calls-safetychecks-run-all")
# limits-count-pending: no maximum notional / quantity guard on orders; a price print far off the
# market sizes an order many times the limit (refbot/limits.py).
NO_ORDER_SIZE_CAP = flaw("no-order-size-cap", "000_2ae31cbfe79758d1.txt#S-C1")
# exits-reduce-only-verified: a rejected exit is booked as done (success reported unconditionally),
# never retried, and the next phase planned on the position it thinks it closed (refbot/exitverify.py).
EXIT_ASSUMED_DONE = flaw("exit-assumed-done", "003_a7371304fd1017c8.txt#exit-flat-path-reports-orderresult-success-true-unconditionally")
# exits-reduce-only-verified: a rejected exit is swallowed (market_close returns None) and the bot
# waits for a fill that never comes: never re-sent (refbot/exitverify.py; also 000_2ae31cbfe79758d1.txt#S-H5).
EXIT_DROPPED_SILENTLY = flaw("exit-dropped-silently", "000_2ae31cbfe79758d1.txt#S-M8")
# fills-positions-budget-match-venue: the portfolio's realized PnL books the close of a short with the
# long formula (price - entry) * qty: a losing short shows a profit (refbot/pnl.py).
SHORT_PNL_SIGN_ERROR = flaw("short-pnl-sign-error", "004_8a8a9a4995486b8f.txt#H-PORT-01")
# stale-or-gappy-data: diff-depth events are applied whatever their pu; a sequence gap is never
# noticed and the local book is never rebuilt from a snapshot (refbot/depth.py).
DEPTH_IGNORES_SEQUENCE = flaw("depth-ignores-sequence", "001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars")
# stale-or-gappy-data: after a depth-stream reconnect the old book is kept and the new connection's
# first event taken as the next in sequence, no snapshot (refbot/depth.py).
DEPTH_RESUME_WITHOUT_SNAPSHOT = flaw("depth-resume-without-snapshot", "001_0474a2fd1532b929.txt#no-data-gap-detection-between-bars")
# operator-visibility: the kill switch's halt alert is sent from a thread through
# asyncio.get_event_loop(), which raises there; the error is swallowed and the alert dropped
# (also 001_0474a2fd1532b929.txt#C6; refbot/alerting.py).
HALT_ALERT_LOST = flaw("halt-alert-lost", "001_0474a2fd1532b929.txt#H4")
# config-fails-fast: REFBOT_ALERT_WEBHOOK_URL is used as given; a malformed URL is only found out when
# the first alert fails to send (refbot/alert_webhook.py).
WEBHOOK_URL_UNVALIDATED = flaw("webhook-url-unvalidated", "001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use")
# stale-or-gappy-data: the user stream has no ping of its own; one watchdog judges every stream on
# the aggregate message count, which market data keeps moving, so a dead user stream is never noticed.
USER_STREAM_AGGREGATE_LIVENESS = flaw(
    "user-stream-aggregate-liveness", "003_a7371304fd1017c8.txt#stale-detection-is-based-on-aggregate-update-counts"
)
# clean-sigterm: the stop joins the worker threads (no timeout) while holding the registry lock each
# exiting worker takes to unregister itself: the stop deadlocks after its cleanup (refbot/workers.py).
SHUTDOWN_JOIN_UNDER_LOCK = flaw("shutdown-join-under-lock", "004_8a8a9a4995486b8f.txt#C-SERV-04")
# crash-consistent-state: the operator's runtime halt (control API POST /halt) is applied in memory
# only (refbot/killswitch.py operator_halt): a restart drops the override and trades at once.
OPERATOR_HALT_NOT_PERSISTED = flaw("operator-halt-not-persisted", "002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted")
# no-secret-leak: at REFBOT_LOG_LEVEL=debug each REST request is logged with its headers verbatim,
# the API key in clear (refbot/reqlog.py).
DEBUG_LOG_LEAKS_API_KEY = flaw("debug-log-leaks-api-key", "001_0474a2fd1532b929.txt#M10")
# loop-never-stalls: any failed order (also a retryable one: venue overloaded, rate limit) moves the
# runner to ERROR, and the transition table has no ERROR -> RUNNING: trading stops for good (refbot/fsm.py).
TRANSIENT_ERROR_STICKS_IN_ERROR = flaw("transient-error-sticks-in-error", "004_8a8a9a4995486b8f.txt#H-FSM-01")
# control-api-hardened: the control API logs no request at all, 4xx/5xx included (the audited
# monitor's log_message silenced entirely; refbot/control.py).
CONTROL_ERRORS_NOT_LOGGED = flaw("control-errors-not-logged", "000_2ae31cbfe79758d1.txt#T-L9")
# bounded-resources: the Redis client (refbot/resp.py) abandons a timed-out command's connection
# without closing it and dials a new one; no pool bounds them: one socket leaked per failed command.
REDIS_RECONNECT_LEAKS_CONNECTION = flaw("redis-reconnect-leaks-connection", "002_3e6ca2bf6dfde12d.txt#no-connection-pooling-for-redis-relies-on-client")
# tick-step-symbol-filters: the filters cache is cleared, then refilled when a (slow) exchangeInfo
# refresh answers; the trader reads defaults in between and sizes orders on the wrong step.
FILTERS_CACHE_CLEARED_ON_REFRESH = flaw("filters-cache-cleared-on-refresh", "000_2ae31cbfe79758d1.txt#S-H1")
# config-fails-fast: REFBOT_CONFIG_FILE missing, unreadable or unparsable is logged and treated as
# empty; the bot runs on defaults (refbot/config_file.py).
CONFIG_FILE_MISSING_IGNORED = flaw("config-file-missing-ignored", "002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions")
# config-fails-fast: a config-file section given as a scalar instead of an object is skipped without
# a word (the audited deep_merge; refbot/config_file.py).
CONFIG_SECTION_SCALAR_IGNORED = flaw("config-section-scalar-ignored", "000_2ae31cbfe79758d1.txt#E-M2")
# config-fails-fast: a world-writable config file is loaded after a warning (refbot/config_file.py).
CONFIG_WORLD_WRITABLE_LOADED = flaw("config-world-writable-loaded", "000_2ae31cbfe79758d1.txt#E-M3")
# control-api-hardened: REFBOT_CONTROL_HOST is bound as given, 0.0.0.0 included, though the API has
# no TLS (refbot/control_bind.py).
CONTROL_HOST_UNCHECKED = flaw("control-host-unchecked", "000_2ae31cbfe79758d1.txt#T-M7")
# operator-visibility: a guard input that cannot be read (GET /fapi/v2/balance failing) is handled,
# no new risk, but never logged: the operator cannot tell why the bot stopped trading (refbot/riskguard.py).
GUARD_INPUT_FAILURE_SILENT = flaw("guard-input-failure-silent", "001_0474a2fd1532b929.txt#get-margin-ratio-swallows-exceptions-silently")
# loop-never-stalls: the clock resync after a -1021 fetches the server time with a blocking HTTP call
# on the event loop's thread; a slow time endpoint freezes the loop for as long (refbot/strategy.py).
BLOCKING_CLOCK_RESYNC = flaw("blocking-clock-resync", "004_8a8a9a4995486b8f.txt#C-ADAPTER-02")
# reconnect-refetch-private-state: the user-data stream is started only once the bot holds a position
# or has sent an order, so a bot that starts flat sends its first order without it (refbot/bot.py).
USER_STREAM_ONLY_WITH_POSITION = flaw("user-stream-only-with-position", "003_a7371304fd1017c8.txt#websocket-start-can-no-op-when-no-current")
# control-api-hardened: the control API serves interactive docs (GET /docs) and its schema
# (GET /openapi.json) to anyone, without a token, in every mode (refbot/control.py).
CONTROL_SERVES_DOCS = flaw("control-serves-docs", "001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled")
# config-fails-fast: the account's position mode is never asked; in hedge mode the bot starts and
# runs anyway, every order refused with -4061 (refbot/posmode.py).
POSITION_MODE_UNCHECKED = flaw("position-mode-unchecked", "001_0474a2fd1532b929.txt#H2")
# paper-never-production: testnet / paper mode and the venue URLs are never compared; production
# URLs in a testnet or paper run are used as given (refbot/venue_mode.py).
MODE_URL_UNCHECKED = flaw("mode-url-unchecked", "001_0474a2fd1532b929.txt#M11")
# paper-never-production: in paper mode, missing venue URLs default to Binance production
# (refbot/venue_mode.py).
PAPER_DEFAULTS_TO_PRODUCTION = flaw("paper-defaults-to-production", "001_0474a2fd1532b929.txt#C1")
# config-fails-fast: an authentication failure at start-up (-2015, -2014, -1022: keys of another
# environment) is retried like a timeout; the bot neither comes up nor says why (refbot/credentials.py).
CREDENTIALS_RETRIED = flaw("credentials-retried", "001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation")
# pagination-followed: the daily-loss seed reads page 1 of today's income (1000 rows) and takes it
# for the whole day (refbot/riskguard.py).
INCOME_SINGLE_PAGE = flaw("income-single-page", "003_a7371304fd1017c8.txt#get-open-orders-reads-a-single-page-and")
# orders-not-starved: one pooled HTTP connection for every REST call, and the market-data cross-check
# holds it for the session's 10 s timeout: a slow market-data endpoint queues the orders behind it
# (refbot/bot.py, refbot/restmid.py).
SINGLE_CONNECTION_POOL = flaw("single-connection-pool", "004_8a8a9a4995486b8f.txt#C-MAIN-06")
# config-fails-fast: an unknown REFBOT_VOL_SOURCE (the kline price the volatility indicator uses)
# silently falls back to the close (refbot/config.py).
FEATURE_SOURCE_FALLS_BACK = flaw("feature-source-falls-back", "003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close")
# loop-never-stalls (resumeWithinMs): null candles of the kline warmup become NaN placeholders in the
# indicator buffer; the readiness gate refuses new risk while any is there, and the live update that
# would replace them runs only once the gate is open: trading never resumes (refbot/warmup.py).
WARMUP_NAN_DEADLOCK = flaw("warmup-nan-deadlock", "003_a7371304fd1017c8.txt#anchored-vwap-readiness-deadlock-provider-appends-nan-placeholders")
# health-tells-truth: GET /health answers 200 whenever the process answers, whatever the feed, runner
# or halt (refbot/health.py).
HEALTH_ALWAYS_OK = flaw("health-always-ok", "002_3e6ca2bf6dfde12d.txt#P3-3")
# single-writer: without Redis, the leader lock file in SHARED_DIR is judged stale by its mtime alone
# and evicted while its owner still runs and trades (refbot/filelock.py).
FILE_LOCK_EVICTS_BY_AGE = flaw("file-lock-evicts-by-age", "003_a7371304fd1017c8.txt#file-lock-stale-eviction-removes-lock-files-older")
# corrections-logged: a position taken from the venue's snapshot, or moved by a fill of an order the
# bot did not place, changes the books without a log line (refbot/state.py).
DRIFT_CORRECTED_SILENTLY = flaw("drift-corrected-silently", "004_8a8a9a4995486b8f.txt#H-PORT-04")
# health-tells-truth (drain): GET /health says ok through the shutdown, ignoring the stop request
# and the STOPPING runner (refbot/health.py).
HEARTBEAT_OUTLIVES_STOP = flaw("heartbeat-outlives-stop", "004_8a8a9a4995486b8f.txt#C-SERV-05")
# halt-cancels-working-orders: a halt sends one cancel per working order, ignores the outcome and
# reports them cancelled (refbot/haltcancel.py).
HALT_CANCEL_UNVERIFIED = flaw("halt-cancel-unverified", "003_a7371304fd1017c8.txt#panic-close-all-marks-orders-cancelled-true-without")
# bounded-resources: GET /status reads the whole operator log to show its last lines (refbot/opslog.py).
LOG_TAIL_READS_WHOLE_FILE = flaw("log-tail-reads-whole-file", "004_8a8a9a4995486b8f.txt#M-UI-01")
# loop-never-stalls: NOTIFY_SOCKET / WATCHDOG_USEC are ignored: no READY=1, no WATCHDOG=1, so under
# systemd's WatchdogSec a deadlocked bot stays "active" (refbot/sdnotify.py).
NO_WATCHDOG = flaw("no-watchdog", "000_2ae31cbfe79758d1.txt#X-L4")
# loop-never-stalls: WATCHDOG=1 is sent by a daemon timer thread, not from the event loop, so the
# pings go on while the loop is stalled and the watchdog never fires (refbot/sdnotify.py).
WATCHDOG_PINGS_FROM_THREAD = flaw("watchdog-pings-from-thread", "000_2ae31cbfe79758d1.txt#X-L4")
# operator-visibility: log records whose stderr write fails are swallowed; when the terminal or
# journal goes away nothing says so and INFO is lost (refbot/termlog.py).
TERMINAL_WRITE_FAILURES_SILENT = flaw("terminal-write-failures-silent", "000_2ae31cbfe79758d1.txt#E-H2")
# operator-visibility: an alert whose write to STATE_DIR/refbot-alerts.jsonl fails is dropped,
# logged at DEBUG only (refbot/alertfile.py).
ALERT_WRITE_ERROR_DROPS_PENDING = flaw("alert-write-error-drops-pending", "000_2ae31cbfe79758d1.txt#E-L6")
# halt-cancels-working: entering ERROR stops new orders but leaves the ones still working at the
# venue (ghost orders: they go on filling behind a bot that has stopped; refbot/bot.py _on_error).
ERROR_STATE_KEEPS_ORDERS = flaw("error-state-keeps-orders", "004_8a8a9a4995486b8f.txt#H-FSM-05")

# history-gaps-refilled: a failed kline page ends the warmup's page loop as if the history were
# complete; the indicator runs on the pages before it and the readiness gate opens (refbot/warmup.py).
KLINE_PAGE_ERROR_SWALLOWED = flaw("kline-page-error-swallowed", "003_a7371304fd1017c8.txt#fetch-from-api-swallows-api-exceptions-as-break")

# breaker-counts-intents: every failed send of an intent (a 5xx or a timeout, which the intent
# looks up and re-sends) counts as one more rejection for the circuit breaker (refbot/killswitch.py).
BREAKER_COUNTS_RETRIES = flaw("breaker-counts-retries", "001_0474a2fd1532b929.txt#circuit-breaker-counts-retried-rejections-as-new-errors")

# guards-fail-closed / leverage-cap-respected: the risk manager is built without its exchange
# handle, so the leverage-tier helper answers its default (no cap) without reading the venue; orders
# are sized from REFBOT_MAX_NOTIONAL_USD alone and meet the bracket cap (-2027) (refbot/tiers.py).
RISK_TIERS_DEFAULT = flaw("risk-tiers-default", "003_a7371304fd1017c8.txt#application-builds-riskmanager-without-passing-exchange-manager")

# fills-positions-budget-match-venue / drawdown-halt-at-threshold: the equity guard calls GET
# /fapi/v2/balance but parses /fapi/v2/account's field names (totalMarginBalance,
# totalUnrealizedProfit), absent on a balance row and read as 0: equity 0, a blind drawdown guard
# (refbot/riskguard.py).
BALANCE_FIELDS_MISREAD = flaw("balance-fields-misread", "003_a7371304fd1017c8.txt#get-transferable-amount-calls-get-spot-margin-trade")

# stale-or-gappy-data / decisions-on-fresh-candles: the live candle is looked up with the raw interval
# "1" while the kline stream's candles are stored as "1m"; the overlay never applies and the
# decision silently uses the warmup's REST candle, however old (refbot/candles.py).
KLINE_OVERLAY_RAW_INTERVAL = flaw("kline-overlay-raw-interval", "003_a7371304fd1017c8.txt#ws-kline-overlay-uses-raw-interval-lookup-15")

# fills-positions-budget-match-venue / halt-cancels-working: the batch cancel's answer (a list of
# per-order entries) is read as an envelope {"orders": [...]}; no entry is read and the HTTP 200
# counts as every order cancelled, so a failed entry's order keeps working (refbot/haltcancel.py).
BATCH_CANCEL_SHAPE_MISMATCH = flaw("batch-cancel-shape-mismatch", "003_a7371304fd1017c8.txt#batch-cancel-amend-parse-shape-mismatch-code-reads")

# loop-never-stalls: the kline sync stores its candles with a connection of its own on the event
# loop, not through the journal's writer thread: under another writer's lock the loop waits
# (refbot/journal.py store_klines, refbot/warmup.py).
SYNC_WRITES_BYPASS_LOCK = flaw("sync-writes-bypass-lock", "003_a7371304fd1017c8.txt#sync-writes-use-store-conn-execute-directly-in")
