"""Environment parsing and validation. Invalid values fail fast (exit 2 from __main__)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from typing import Mapping

from .flaws import BLIND_RETRY_ON_TIMEOUT as FLAW_BLIND_RETRY_ON_TIMEOUT
from .flaws import CLEAR_PRICES_ON_DISCONNECT as FLAW_CLEAR_PRICES_ON_DISCONNECT
from .flaws import FLAWS
from .flaws import NO_RESYNC_AFTER_USER_STREAM_GAP
from .flaws import RESET_CLOCK_OFFSET_ON_ERROR as FLAW_RESET_CLOCK_OFFSET_ON_ERROR
from .config_flaws import fallback_reporter, max_price_age_bound
from .config_bounds import check_bounds
from .alert_webhook import webhook_url
from .config_unknown import check_unknown_options
from .config_file import NAME as CONFIG_FILE, load_config_file
from .venue_mode import MODES, check_mode_urls, paper_default
from .volsource import VOL_SOURCES
from .flaws import FEATURE_SOURCE_FALLS_BACK as FLAW_FEATURE_SOURCE_FALLS_BACK
from .control_bind import control_host

# Every flaw the bot can reproduce (refbot/flaws.py). Profile naive = all of them, hardened = none.
KNOWN_FLAWS: frozenset[str] = frozenset(FLAWS)
PROFILES = ("naive", "hardened")

_SYMBOL_RE = re.compile(r"^[A-Z0-9]{2,20}$")
_INSTANCE_RE = re.compile(r"^[A-Za-z0-9._:/-]{1,20}$")  # rb-<id>-<counter> must fit 36 chars


class ConfigError(ValueError):
    """One or more environment values are missing or invalid."""


@dataclass(frozen=True)
class Flags:
    """Behaviour toggles. Later issues add flaw names here, not new profile branches."""

    profile: str
    flaws: frozenset[str]

    def has(self, flaw: str) -> bool:
        return flaw in self.flaws

    @property
    def clear_prices_on_disconnect(self) -> bool:
        return FLAW_CLEAR_PRICES_ON_DISCONNECT in self.flaws

    @property
    def blind_retry_on_timeout(self) -> bool:
        return FLAW_BLIND_RETRY_ON_TIMEOUT in self.flaws

    @property
    def reset_clock_offset_on_error(self) -> bool:
        return FLAW_RESET_CLOCK_OFFSET_ON_ERROR in self.flaws

    @property
    def resync_position_on_user_reconnect(self) -> bool:
        # Without flaw no-resync-after-user-stream-gap: re-fetch private state after a user-stream
        # gap before trading again (refbot/resync.py).
        return NO_RESYNC_AFTER_USER_STREAM_GAP not in self.flaws


@dataclass(frozen=True)
class Config:
    rest_url: str
    ws_url: str
    user_ws_url: str
    api_key: str
    api_secret: str
    symbols: tuple[str, ...]
    instance_id: str
    state_dir: str | None
    redis_url: str | None
    flags: Flags
    max_notional_usd: float
    max_exposure_usd: float
    trade_interval_ms: int
    max_price_age_ms: int
    listenkey_keepalive_s: int
    order_timeout_ms: int = 2000
    time_sync_s: float = 10.0
    max_clock_offset_ms: int = 1000
    rest_mid_ms: int = 1000
    leader_ttl_ms: int = 1500
    market_stale_restart_ms: int = 2000
    halt_after_rejects: int = 3
    halt_cooldown_ms: int = 5000
    max_drawdown_pct: float = 50.0
    max_daily_loss_usd: float = 1_000_000.0
    max_order_qty: float = 0.0  # 0 = no quantity bound beyond the notional one (refbot/limits.py)
    control_port: int = 0
    control_host: str = "127.0.0.1"  # loopback only unless flaw control-host-unchecked (refbot/control_bind.py)
    control_token: str = ""
    control_rate_per_s: float = 10.0
    alert_webhook_url: str = ""  # "" = none (refbot/alert_webhook.py)
    log_level: str = "info"  # info | debug (debug also logs each REST request: refbot/reqlog.py)
    mode: str = "live"  # live | testnet | paper (refbot/venue_mode.py)
    vol_source: str = "close"  # open | high | low | close | hl2: the kline price of the logged volatility (refbot/warmup.py)
    shared_dir: str | None = None  # SHARED_DIR: without REDIS_URL, the leader lock is a lock file here (refbot/filelock.py)

    @property
    def symbol(self) -> str:
        return self.symbols[0]


def parse_flaws(raw: str, profile: str) -> frozenset[str]:
    """Empty -> the profile's set; "none" -> no flaws; else exactly the named flaws."""
    raw = raw.strip()
    if raw == "":
        return KNOWN_FLAWS if profile == "naive" else frozenset()
    if raw.lower() == "none":
        return frozenset()
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = sorted(set(names) - KNOWN_FLAWS)
    if unknown:
        raise ConfigError(
            f"REFBOT_FLAWS: unknown flaw(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_FLAWS))} (or 'none')"
        )
    return frozenset(names)


def load_config(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    errors: list[str] = []
    read: set[str] = {"REFBOT_FLAWS", CONFIG_FILE}  # every option name looked up (refbot/config_unknown.py)

    def get(name: str, default: str | None = None) -> str | None:
        read.add(name)
        v = env.get(name)
        if v is None or v.strip() == "":
            return default
        return v.strip()

    # Profile and flaws come from the environment only: they decide how the config file itself is read.
    profile = (get("REFBOT_PROFILE", "hardened") or "hardened").lower()
    if profile not in PROFILES:
        errors.append(f"REFBOT_PROFILE={profile!r} must be one of {', '.join(PROFILES)}")
        profile = "hardened"
    try:
        flaws = parse_flaws(env.get("REFBOT_FLAWS", ""), profile)
    except ConfigError as e:
        errors.append(str(e))
        flaws = frozenset()
    # REFBOT_CONFIG_FILE's variables sit under the environment's (refbot/config_file.py).
    from_file = load_config_file(env.get(CONFIG_FILE), flaws, errors.append)
    if from_file:
        env = {**from_file, **env}

    def url(name: str, schemes: tuple[str, ...], required: bool = True, fallback: str | None = None) -> str:
        v = get(name, fallback)
        if v is None:
            if required:
                errors.append(f"{name} is required (e.g. {schemes[0]}://127.0.0.1:40001)")
            return ""
        if not re.match(rf"^({'|'.join(schemes)})://[^/\s]+", v):
            errors.append(f"{name}={v!r} must be a {' or '.join(schemes)} URL")
            return ""
        return v.rstrip("/")

    def number(name: str, default: str, kind: type, minimum: float, maximum: float) -> float | int:
        raw = get(name, default)
        assert raw is not None
        # Without flaw invalid-config-falls-back-to-default every problem is fatal (exit 2).
        reject = fallback_reporter(flaws, errors)
        try:
            val = kind(raw)
        except ValueError:
            reject(f"{name}={raw!r} is not a valid {'integer' if kind is int else 'number'}")
            return kind(default)
        # Finite and within bounds (refbot/config_bounds.py holds the flaws that weaken this).
        val, problem = check_bounds(name, raw, val, minimum, maximum, flaws)
        if problem is not None:
            reject(problem)
            return kind(default)
        return val

    mode = (get("REFBOT_MODE", "live") or "live").lower()  # refbot/venue_mode.py
    if mode not in MODES:
        errors.append(f"REFBOT_MODE={mode!r} must be one of {', '.join(MODES)}")
        mode = "live"
    given = {n: get(n) for n in ("VENUE_REST_URL", "VENUE_WS_URL", "VENUE_USER_WS_URL")}
    check_mode_urls(mode, given, flaws, errors.append)
    rest_url = url("VENUE_REST_URL", ("http", "https"), fallback=paper_default(mode, flaws, "VENUE_REST_URL"))
    ws_url = url("VENUE_WS_URL", ("ws", "wss"), fallback=paper_default(mode, flaws, "VENUE_WS_URL"))
    # VENUE_USER_WS_URL falls back to VENUE_WS_URL (whose absence is already reported).
    user_ws_url = url("VENUE_USER_WS_URL", ("ws", "wss"), required=False, fallback=get("VENUE_WS_URL") or ws_url or None)

    api_key = get("VENUE_API_KEY")
    api_secret = get("VENUE_API_SECRET")
    if not api_key:
        errors.append("VENUE_API_KEY is required")
    if not api_secret:
        errors.append("VENUE_API_SECRET is required")

    symbols = tuple(s.strip().upper() for s in (get("SYMBOLS", "BTCUSDT") or "").split(",") if s.strip())
    if not symbols:
        errors.append("SYMBOLS must name at least one symbol")
    for s in symbols:
        if not _SYMBOL_RE.match(s):
            errors.append(f"SYMBOLS: {s!r} is not a valid symbol (A-Z0-9, 2-20 chars)")

    instance_id = get("BOT_INSTANCE_ID", "bot-1") or "bot-1"
    if not _INSTANCE_RE.match(instance_id):
        errors.append(f"BOT_INSTANCE_ID={instance_id!r} must be 1-20 chars of A-Za-z0-9._:/-")

    state_dir = get("STATE_DIR")
    if state_dir is not None and not (os.path.isdir(state_dir) and os.access(state_dir, os.W_OK)):
        errors.append(f"STATE_DIR={state_dir!r} is not a writable directory")
    shared_dir = get("SHARED_DIR")
    if shared_dir is not None and not (os.path.isdir(shared_dir) and os.access(shared_dir, os.W_OK)):
        errors.append(f"SHARED_DIR={shared_dir!r} is not a writable directory")


    max_notional = number("REFBOT_MAX_NOTIONAL_USD", "1000", float, 1e-6, 1e9)
    interval = number("REFBOT_TRADE_INTERVAL_MS", "1000", int, 50, 3_600_000)
    max_age = number("REFBOT_MAX_PRICE_AGE_MS", "1000", int, 1, max_price_age_bound(flaws))
    keepalive = number("REFBOT_LISTENKEY_KEEPALIVE_S", "1800", int, 1, 86_400)
    order_timeout = number("REFBOT_ORDER_TIMEOUT_MS", "2000", int, 100, 60_000)
    time_sync = number("REFBOT_TIME_SYNC_S", "10", float, 0.1, 86_400)
    max_clock_offset = number("REFBOT_MAX_CLOCK_OFFSET_MS", "1000", int, 1, 3_600_000)
    rest_mid = number("REFBOT_REST_MID_MS", "1000", int, 100, 3_600_000)
    leader_ttl = number("REFBOT_LEADER_TTL_MS", "1500", int, 300, 60_000)
    market_stale_restart = number("REFBOT_MARKET_STALE_RESTART_MS", "2000", int, 0, 3_600_000)
    halt_after_rejects = number("REFBOT_HALT_AFTER_REJECTS", "3", int, 1, 1000)
    halt_cooldown_ms = number("REFBOT_HALT_COOLDOWN_MS", "5000", int, 0, 86_400_000)
    max_drawdown_pct = number("REFBOT_MAX_DRAWDOWN_PCT", "50", float, 0.01, 100)
    max_daily_loss_usd = number("REFBOT_MAX_DAILY_LOSS_USD", "1000000", float, 0, 1e12)
    max_order_qty = number("REFBOT_MAX_ORDER_QTY", "0", float, 0, 1e9)
    # The exposure limit (refbot/limits.py), apart from the sizing target: 0 = 3 x REFBOT_MAX_NOTIONAL_USD.
    max_exposure = number("REFBOT_MAX_EXPOSURE_USD", "0", float, 0, 1e12)
    control_port = number("REFBOT_CONTROL_PORT", "0", int, 0, 65535)
    control_bind = control_host(get, flaws, errors.append)  # loopback only (refbot/control_bind.py)
    control_token = get("REFBOT_CONTROL_TOKEN") or secrets.token_urlsafe(24)  # control API (refbot/control.py)
    if len(control_token) < 16:
        errors.append("REFBOT_CONTROL_TOKEN must be at least 16 characters")
    control_rate_per_s = number("REFBOT_CONTROL_RATE_PER_S", "10", float, 1, 10_000)
    alert_webhook_url = webhook_url(get, flaws, errors.append)  # validated at start-up (refbot/alert_webhook.py)
    vol_source = (get("REFBOT_VOL_SOURCE", "close") or "close").lower()  # refbot/warmup.py
    if vol_source not in VOL_SOURCES:
        if FLAW_FEATURE_SOURCE_FALLS_BACK in flaws:
            # FLAW 003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close
            vol_source = "close"
        else:
            # FIX 003_a7371304fd1017c8.txt#invalid-feature-source-silently-falls-back-to-close: a typo is fatal.
            errors.append(f"REFBOT_VOL_SOURCE={vol_source!r} must be one of {', '.join(VOL_SOURCES)}")
    log_level = (get("REFBOT_LOG_LEVEL", "info") or "info").lower()
    if log_level not in ("info", "debug"):
        errors.append(f"REFBOT_LOG_LEVEL={log_level!r} must be info or debug")

    # A REFBOT_* name none of the above reads is a typo: fatal unless flaw unknown-option-ignored.
    check_unknown_options(env, read, flaws, errors.append)
    if errors:
        raise ConfigError("; ".join(errors))
    return Config(
        rest_url=rest_url,
        ws_url=ws_url,
        user_ws_url=user_ws_url,
        api_key=api_key or "",
        api_secret=api_secret or "",
        symbols=symbols,
        instance_id=instance_id,
        state_dir=state_dir,
        redis_url=get("REDIS_URL"),
        shared_dir=shared_dir,
        flags=Flags(profile=profile, flaws=flaws),
        max_notional_usd=float(max_notional),
        max_exposure_usd=float(max_exposure) if max_exposure else 3 * float(max_notional),
        trade_interval_ms=int(interval),
        max_price_age_ms=int(max_age),
        listenkey_keepalive_s=int(keepalive),
        order_timeout_ms=int(order_timeout),
        time_sync_s=float(time_sync),
        max_clock_offset_ms=int(max_clock_offset),
        rest_mid_ms=int(rest_mid),
        leader_ttl_ms=int(leader_ttl),
        market_stale_restart_ms=int(market_stale_restart),
        halt_after_rejects=int(halt_after_rejects),
        halt_cooldown_ms=int(halt_cooldown_ms),
        max_drawdown_pct=float(max_drawdown_pct),
        max_daily_loss_usd=float(max_daily_loss_usd),
        max_order_qty=float(max_order_qty),
        control_port=int(control_port),
        control_host=control_bind,
        control_token=control_token,
        control_rate_per_s=float(control_rate_per_s),
        alert_webhook_url=alert_webhook_url,
        log_level=log_level,
        mode=mode,
        vol_source=vol_source,
    )
