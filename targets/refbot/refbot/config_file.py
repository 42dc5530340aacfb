"""REFBOT_CONFIG_FILE: settings from a JSON file, in sections, under the environment.

    {"risk": {"REFBOT_MAX_NOTIONAL_USD": 250}, "alerts": {"REFBOT_ALERT_WEBHOOK_URL": "https://..."}}

Each section maps variable names to values (strings or numbers); a variable set in the environment
wins over the file. REFBOT_PROFILE and REFBOT_FLAWS decide how the file itself is read, so they are
environment-only: the file naming them is an error. The file's names go through the same validation as the environment's (a typo is
an unknown option, a bad value a config error).

Hardened, each problem is a config error (exit 2 naming REFBOT_CONFIG_FILE and what is wrong):
- the file is missing or unreadable, or not a JSON object (fix for
  002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions: the audited loader
  returned {} and the bot ran on defaults);
- a section is not an object (fix for 000_2ae31cbfe79758d1.txt#E-M2: deep_merge took a scalar
  override silently and dropped the section);
- the file is world-writable (fix for 000_2ae31cbfe79758d1.txt#E-M3: the audited loader warned and
  loaded it anyway, so any local user could change the risk limits).

Flaws (each dormant unless the file has that problem):
- config-file-missing-ignored: a missing, unreadable or unparsable file is logged and treated as empty;
- config-section-scalar-ignored: a section that is not an object is skipped;
- config-world-writable-loaded: a world-writable file is loaded after a warning.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from typing import Callable

from .flaws import CONFIG_FILE_MISSING_IGNORED, CONFIG_SECTION_SCALAR_IGNORED, CONFIG_WORLD_WRITABLE_LOADED

log = logging.getLogger("refbot.config")

NAME = "REFBOT_CONFIG_FILE"
ENV_ONLY = ("REFBOT_PROFILE", "REFBOT_FLAWS")
MAX_BYTES = 1024 * 1024


def load_config_file(path: str | None, flaws: frozenset[str], report: Callable[[str], None]) -> dict[str, str]:
    """The file's variables (name -> value as text); {} when no file is named or it is refused."""
    if path is None or path.strip() == "":
        return {}
    path = path.strip()
    try:
        st = os.stat(path)
        if st.st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if not isinstance(doc, dict):
            raise ValueError(f"must hold a JSON object of sections, got {type(doc).__name__}")
    except (OSError, ValueError) as e:
        if CONFIG_FILE_MISSING_IGNORED in flaws:
            # FLAW 002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions: {} and carry on.
            log.warning("%s=%r not loaded (%s); using defaults", NAME, path, e)
            return {}
        # FIX 002_3e6ca2bf6dfde12d.txt#some-paths-return-none-instead-of-raising-exceptions: refuse to start.
        report(f"{NAME}={path!r} cannot be loaded: {e}")
        return {}

    if st.st_mode & stat.S_IWOTH:
        mode = oct(stat.S_IMODE(st.st_mode))
        if CONFIG_WORLD_WRITABLE_LOADED in flaws:
            # FLAW 000_2ae31cbfe79758d1.txt#E-M3: warn, then load it anyway.
            log.warning("%s=%r is world-writable (mode %s); loading it anyway", NAME, path, mode)
        else:
            # FIX 000_2ae31cbfe79758d1.txt#E-M3: anyone on the host could rewrite the limits: refuse it.
            report(f"{NAME}={path!r} is world-writable (mode {mode}): refusing to load it (chmod o-w)")
            return {}

    out: dict[str, str] = {}
    for section, body in doc.items():
        if not isinstance(body, dict):
            if CONFIG_SECTION_SCALAR_IGNORED in flaws:
                # FLAW 000_2ae31cbfe79758d1.txt#E-M2: a non-object override is dropped without a word.
                continue
            # FIX 000_2ae31cbfe79758d1.txt#E-M2: a section that is not an object is an error.
            report(f"{NAME}={path!r}: section {section!r} must be an object of VARIABLE: value, got {json.dumps(body)}")
            continue
        for key, value in body.items():
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                report(f"{NAME}={path!r}: {section}.{key} must be a string or a number, got {json.dumps(value)}")
                continue
            if key in ENV_ONLY:
                report(f"{NAME}={path!r}: {section}.{key} can only be set in the environment")
                continue
            out[str(key)] = str(value)
    return out
