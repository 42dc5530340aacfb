"""Entry point: `python -m refbot`. Exit 2 on invalid configuration, 0 on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import sys

from . import flaws, termlog
from .config import ConfigError, load_config


def main() -> int:
    try:
        cfg = load_config()
    except ConfigError as e:
        print(f"refbot: invalid configuration: {e}", file=sys.stderr, flush=True)
        return 2
    # Log records to stderr; a dead terminal is reported in the operator log (refbot/termlog.py).
    terminal = termlog.install(
        logging.DEBUG if cfg.log_level == "debug" else logging.INFO,
        f"%(asctime)s refbot[{cfg.instance_id}] %(levelname)s %(name)s: %(message)s",
        silent=cfg.flags.has(flaws.TERMINAL_WRITE_FAILURES_SILENT),
    )
    from .bot import Bot  # imported late so config errors never depend on aiohttp

    async def run() -> int:
        return await Bot(cfg).run()

    try:
        return asyncio.run(run())
    finally:
        terminal.close_out()


if __name__ == "__main__":
    sys.exit(main())
