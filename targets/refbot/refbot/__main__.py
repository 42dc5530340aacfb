"""Entry point: `python -m refbot`. Exit 2 on invalid configuration, 0 on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import sys

from .config import ConfigError, load_config


def main() -> int:
    try:
        cfg = load_config()
    except ConfigError as e:
        print(f"refbot: invalid configuration: {e}", file=sys.stderr, flush=True)
        return 2
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if cfg.log_level == "debug" else logging.INFO,
        format=f"%(asctime)s refbot[{cfg.instance_id}] %(levelname)s %(name)s: %(message)s",
    )
    from .bot import Bot  # imported late so config errors never depend on aiohttp

    async def run() -> int:
        return await Bot(cfg).run()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
