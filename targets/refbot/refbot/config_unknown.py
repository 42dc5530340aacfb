"""Unknown REFBOT_* variables: a typo in an option name is a config error, not a silent default.

Finding 002_3e6ca2bf6dfde12d.txt#R5 (ConfigManager deep merge -> silent errors; fix: schema
validation): a schema-less merge takes whatever keys it is given, so a misspelt key is carried
along unread and the setting it meant keeps its default. With the flaw unknown-option-ignored
refbot does the same with its environment; without it every REFBOT_* name must be one it reads.
"""

from __future__ import annotations

import difflib
import logging
from typing import Callable, Iterable, Mapping

from .flaws import UNKNOWN_OPTION_IGNORED

log = logging.getLogger("refbot.config")

PREFIX = "REFBOT_"


def unknown_options(env: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """REFBOT_* names in env that are not among known, sorted."""
    k = set(known)
    return sorted(n for n in env if n.startswith(PREFIX) and n not in k)


def check_unknown_options(env: Mapping[str, str], known: Iterable[str], flaws: frozenset[str], report: Callable[[str], None]) -> None:
    known = sorted(set(known))
    for name in unknown_options(env, known):
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        problem = f"{name}={env[name]!r} is not a refbot option{hint}"
        if UNKNOWN_OPTION_IGNORED in flaws:
            # FLAW 002_3e6ca2bf6dfde12d.txt#R5: no schema; the unknown key is carried along unread
            # and the setting it was meant for keeps its default. Start-up goes on.
            log.debug("config: ignoring %s", problem)
            continue
        # FIX 002_3e6ca2bf6dfde12d.txt#R5: schema validation; an unknown option is fatal (exit 2).
        report(problem)
