"""The alert webhook (REFBOT_ALERT_WEBHOOK_URL): alerts are also POSTed, Slack-style, to a URL.

Finding 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use: the webhook URL is
used as given, so a malformed one (no scheme, no host) is only discovered when the first alert
fails to send, i.e. when it is needed. Hardened: the URL is validated at start-up (http or https,
a host, a path) and a malformed one is a config error (exit 2 naming it). With the flaw
webhook-url-unvalidated it is taken as given; every delivery then fails and is only logged.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from typing import Callable

from .flaws import WEBHOOK_URL_UNVALIDATED

log = logging.getLogger("refbot.alerts")

NAME = "REFBOT_ALERT_WEBHOOK_URL"
_URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/\S*$")
POST_TIMEOUT_S = 1.0


def webhook_url(get: Callable[[str], str | None], flaws: frozenset[str], report: Callable[[str], None]) -> str:
    """The configured webhook URL ("" = none), validated unless the flaw is on."""
    url = get(NAME) or ""
    if url == "" or WEBHOOK_URL_UNVALIDATED in flaws:
        # FLAW 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use: used as given.
        return url
    # FIX 001_0474a2fd1532b929.txt#slack-webhook-url-not-validated-before-use: refuse a malformed URL at start-up.
    if not _URL_RE.match(url):
        report(f"{NAME}={url!r} must be an http(s) URL with a host and a path (e.g. https://hooks.slack.com/services/...)")
    return url


def post_alert(url: str, text: str) -> bool:
    """One POST of {"text": ...} (at most POST_TIMEOUT_S); False when it could not be delivered."""
    try:
        req = urllib.request.Request(url, data=json.dumps({"text": text}).encode(), headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=POST_TIMEOUT_S) as r:
            return 200 <= r.status < 300
    except Exception as e:  # a malformed URL raises ValueError, a dead one OSError: neither may kill the worker
        log.warning("alert webhook: not delivered: %s: %s", type(e).__name__, e)
        return False
