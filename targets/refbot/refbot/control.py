"""Control API: a small HTTP server for the operator (GET /status, GET /health, POST /halt).

Bound to REFBOT_CONTROL_HOST (loopback only: refbot/control_bind.py; default 127.0.0.1) on
REFBOT_CONTROL_PORT (0 = an ephemeral port). At start the bot prints
{"probe":"control","url":"http://127.0.0.1:<port>"} and writes STATE_DIR/refbot-control.json
({"url","token"}, mode 0600) for the operator's tools; the token is REFBOT_CONTROL_TOKEN or, by
default, a random one generated per run. It is never printed.

Every endpoint needs `Authorization: Bearer <token>`; a missing or wrong token is 401 and changes
nothing. GET /health answers 200 or 503 on whether the bot can trade safely now (refbot/health.py).
POST /halt {"reason": "..."} halts new risk through the kill switch (refbot/killswitch.py,
reason "control-api").

Hardened (flaws off):
- a token bucket per client address (REFBOT_CONTROL_RATE_PER_S requests per second, the same
  burst) answers 429 with Retry-After once it is empty, before anything else is done
  (fix for 000_2ae31cbfe79758d1.txt#T-H4);
- a request whose Content-Length exceeds MAX_BODY_BYTES (1 MiB) is answered 413 before its body
  is read, and a body without Content-Length is cut off at the same size with 413
  (fix for 000_2ae31cbfe79758d1.txt#T-M5);
- error answers are generic JSON ({"error": "invalid JSON body"}, {"error": "internal error"}):
  no exception text, no traceback, no file path, no account identifier; details go to the log
  (fix for 001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses and
  000_2ae31cbfe79758d1.txt#X-L2).
Every 4xx/5xx is logged (method, path, status), never the token (fix for 000_2ae31cbfe79758d1.txt#T-L9).

Flaws (each dormant until a client sends such a request):
- control-no-rate-limit (000_2ae31cbfe79758d1.txt#T-H4): no rate limiting at all; a flood of
  requests is served in full.
- control-no-body-limit (000_2ae31cbfe79758d1.txt#T-M5): the server accepts bodies of any size
  (client_max_size raised to 1 GiB, no Content-Length check) and the handler reads all of it.
- control-error-leaks-internals (001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses,
  000_2ae31cbfe79758d1.txt#X-L2): a handler error is answered 500 with str(e), the exception class,
  the traceback and the request context, which carries the account's API key.
- control-errors-not-logged (000_2ae31cbfe79758d1.txt#T-L9): like the audited monitor's silenced
  log_message, the server logs no request at all, so refused (401/413/429) and failed requests
  leave no trace for the operator.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import secrets
import time
import traceback
from typing import Any, Callable

from aiohttp import web

from . import flaws, opslog, probes

log = logging.getLogger("refbot.control")

HOST = "127.0.0.1"
CONTROL_FILE = "refbot-control.json"
MAX_BODY_BYTES = 1024 * 1024
UNLIMITED_BODY_BYTES = 1024 * 1024 * 1024


class TokenBucket:
    """rate tokens per second, at most `burst` saved up; one bucket per client address."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0 when a request may go ahead, else the seconds until the next token."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json", headers=headers)


class ControlApi:
    def __init__(
        self,
        cfg: Any,
        halt: Callable[[str], None],
        status: Callable[[], dict[str, Any]],
        health: Callable[[], tuple[int, dict[str, Any]]] | None = None,
    ) -> None:
        self.cfg = cfg
        self.health = health  # GET /health (refbot/health.py)
        self.token: str = cfg.control_token or secrets.token_urlsafe(24)
        self.halt, self.status = halt, status
        self.rate_limited = not cfg.flags.has(flaws.CONTROL_NO_RATE_LIMIT)
        self.body_limited = not cfg.flags.has(flaws.CONTROL_NO_BODY_LIMIT)
        self.leak_errors = cfg.flags.has(flaws.CONTROL_ERROR_LEAKS_INTERNALS)
        self.log_errors = not cfg.flags.has(flaws.CONTROL_ERRORS_NOT_LOGGED)
        # FIX 001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled: no docs routes at all.
        self.public_docs = cfg.flags.has(flaws.CONTROL_SERVES_DOCS)
        self.bucket = TokenBucket(cfg.control_rate_per_s, cfg.control_rate_per_s)
        self.runner: web.AppRunner | None = None
        self.url: str | None = None
        self.log_handler: Any = None  # the operator log's handler (refbot/opslog.py), detached at close

    # -- app -----------------------------------------------------------------------------
    def app(self) -> web.Application:
        # FLAW 000_2ae31cbfe79758d1.txt#T-L9 (control-errors-not-logged): no request is logged at all.
        middlewares = [self._log_errors] if self.log_errors else []
        if self.rate_limited:
            middlewares.append(self._rate_limit)
        if self.body_limited:
            middlewares.append(self._body_limit)
        middlewares += [self._errors, self._auth]
        # FLAW 000_2ae31cbfe79758d1.txt#T-M5 (control-no-body-limit): any body size is read.
        app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES if self.body_limited else UNLIMITED_BODY_BYTES)
        app.router.add_get("/status", self._get_status)
        app.router.add_get("/health", self._get_health)
        app.router.add_post("/halt", self._post_halt)
        if self.public_docs:
            # FLAW 001_0474a2fd1532b929.txt#swagger-docs-unconditionally-enabled (control-serves-docs):
            # interactive docs and the API schema, served to anyone, whatever the mode.
            app.router.add_get("/docs", self._get_docs)
            app.router.add_get("/openapi.json", self._get_openapi)
        return app

    @web.middleware
    async def _log_errors(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            resp = await handler(request)
        except web.HTTPException as e:
            log.warning("control %s %s -> %d", request.method, request.path, e.status)
            raise
        if resp.status >= 400:
            log.warning("control %s %s -> %d", request.method, request.path, resp.status)
        return resp

    @web.middleware
    async def _rate_limit(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # FIX 000_2ae31cbfe79758d1.txt#T-H4: a token bucket per client address, checked first.
        wait = self.bucket.take(request.remote or "?")
        if wait > 0:
            return _json(429, {"error": "too many requests"}, {"Retry-After": str(max(1, int(wait + 0.999)))})
        return await handler(request)

    @web.middleware
    async def _body_limit(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # FIX 000_2ae31cbfe79758d1.txt#T-M5: Content-Length > 1 MiB is 413 before the body is read
        # (a body without Content-Length is cut at client_max_size, also 413).
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return _json(413, {"error": "payload too large", "maxBytes": MAX_BODY_BYTES})
        return await handler(request)

    @web.middleware
    async def _errors(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception as e:
            if self.leak_errors:
                # FLAW 001_0474a2fd1532b929.txt#exception-detail-leaks-internals-in-500-responses
                # and 000_2ae31cbfe79758d1.txt#X-L2: the 500 carries str(e), the traceback and the
                # request context with the account's API key.
                context = {"account": self.cfg.api_key, "symbol": self.cfg.symbol, "stateDir": self.cfg.state_dir}
                return _json(500, {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc(), "context": context})
            # FIX: a generic answer; the details go to the log only.
            log.error("control %s %s failed: %s: %s", request.method, request.path, type(e).__name__, e)
            return _json(500, {"error": "internal error"})

    @web.middleware
    async def _auth(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self.public_docs and request.method == "GET" and request.path in ("/docs", "/openapi.json"):
            return await handler(request)  # FLAW control-serves-docs: the docs need no token
        given = request.headers.get("Authorization", "")
        expected = f"Bearer {self.token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return _json(401, {"error": "unauthorized"}, {"WWW-Authenticate": "Bearer"})
        return await handler(request)

    # -- handlers ------------------------------------------------------------------------
    async def _get_status(self, request: web.Request) -> web.Response:
        return _json(200, self.status())

    async def _get_health(self, request: web.Request) -> web.Response:
        if self.health is None:
            return _json(200, {"status": "ok"})  # nothing to judge (unit tests without a bot)
        status, body = self.health()
        return _json(status, body)

    def _schema(self) -> dict[str, Any]:
        return {
            "openapi": "3.0.3",
            "info": {"title": "refbot control API", "version": "1"},
            "paths": {"/status": {"get": {"summary": "bot status"}}, "/halt": {"post": {"summary": "halt new risk"}}},
        }

    async def _get_docs(self, request: web.Request) -> web.Response:
        rows = "".join(f"<li>{m.upper()} {p}: {op['summary']}</li>" for p, ops in self._schema()["paths"].items() for m, op in ops.items())
        return web.Response(text=f"<html><head><title>refbot control API - Swagger UI</title></head><body><ul>{rows}</ul></body></html>", content_type="text/html")

    async def _get_openapi(self, request: web.Request) -> web.Response:
        return _json(200, self._schema())

    async def _post_halt(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if self.leak_errors:
            body = json.loads(raw)  # an error goes to the leaking error middleware
        else:
            try:
                body = json.loads(raw) if raw else {}
            except (ValueError, UnicodeDecodeError):
                return _json(400, {"error": "invalid JSON body"})
        if not isinstance(body, dict):
            return _json(400, {"error": "body must be a JSON object"})
        note = str(body.get("reason") or "")[:200]
        log.error("control API: operator halt (%s)", note or "no reason given")
        self.halt("control-api")
        return _json(200, {"halted": True})

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> str:
        self.runner = web.AppRunner(self.app(), access_log=None)
        await self.runner.setup()
        host = getattr(self.cfg, "control_host", HOST)
        site = web.TCPSite(self.runner, host, self.cfg.control_port)
        await site.start()
        server = site._server  # the bound asyncio server: its socket has the ephemeral port
        assert server is not None and server.sockets
        port = server.sockets[0].getsockname()[1]
        shown = HOST if host in ("0.0.0.0", "::", "localhost") else host  # a wildcard is reached on loopback
        self.url = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
        self._write_file()
        probes.emit("control", url=self.url)
        log.info("control API on %s", self.url)
        return self.url

    def _write_file(self) -> None:
        if not self.cfg.state_dir:
            return
        path = os.path.join(self.cfg.state_dir, CONTROL_FILE)
        tmp = path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": self.url, "token": self.token}, f)
        os.replace(tmp, path)

    async def close(self) -> None:
        opslog.detach(self.log_handler)
        self.log_handler = None
        if self.runner is not None:
            try:
                await asyncio.wait_for(self.runner.cleanup(), 1.0)
            except Exception as e:
                log.warning("control API close: %s", e)
            self.runner = None


async def start_control(
    cfg: Any, killswitch: Any, state: Any, health: Callable[[], tuple[int, dict[str, Any]]] | None = None
) -> ControlApi:
    """Starts the control API over the bot's kill switch and account state (hook in bot.py)."""

    ops_log, handler = opslog.attach(cfg.state_dir)  # refbot/opslog.py: the dashboard's log panel
    read_whole = cfg.flags.has(flaws.LOG_TAIL_READS_WHOLE_FILE)

    def status() -> dict[str, Any]:
        return {
            "symbol": cfg.symbol,
            "position": str(state.position),
            "halted": bool(killswitch.halted),
            "haltReason": killswitch.reason,
            "recentLog": opslog.tail(ops_log, read_whole),
        }

    api = ControlApi(cfg, killswitch.operator_halt, status, health)  # refbot/killswitch.py, refbot/health.py
    api.log_handler = handler
    await api.start()
    return api
