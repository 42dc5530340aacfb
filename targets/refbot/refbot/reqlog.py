"""DEBUG request log of the REST client (REFBOT_LOG_LEVEL=debug), without credentials (no-secret-leak).

At DEBUG every REST request is logged as one line: method, URL and headers, for an operator
chasing a venue problem. Credentials never go to the log: the X-MBX-APIKEY header and the
request's signature are replaced by <redacted>.

Flaw debug-log-leaks-api-key (001_0474a2fd1532b929.txt#M10, family no-secret-leak): as the audited
alerter's DEBUG-logged URLs carried the Telegram bot token, the line is logged verbatim, the API
key in clear. Dormant at the default log level (info).
"""

from __future__ import annotations

import logging
import re
from typing import Mapping

log = logging.getLogger("refbot.rest.debug")

REDACTED = "<redacted>"
_SIGNATURE = re.compile(r"(signature=)[0-9A-Fa-f]+")


def log_request(method: str, url: str, headers: Mapping[str, str], unredacted: bool) -> None:
    """Logs one request at DEBUG (no-op at higher levels)."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    if unredacted:
        # FLAW 001_0474a2fd1532b929.txt#M10: the credential goes to the log as it is sent.
        shown = dict(headers)
    else:
        # FIX 001_0474a2fd1532b929.txt#M10: header values of credentials and the signature redacted.
        shown = {k: (REDACTED if k.lower() == "x-mbx-apikey" else v) for k, v in headers.items()}
        url = _SIGNATURE.sub(rf"\g<1>{REDACTED}", url)
    log.debug("request %s %s headers=%s", method, url, shown)
