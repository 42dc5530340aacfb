"""Control API request logging (refbot/control.py): every 4xx/5xx is logged, never the token.

Flaw control-errors-not-logged (000_2ae31cbfe79758d1.txt#T-L9): nothing is logged.
"""

from __future__ import annotations

import logging

from refbot import flaws
from test_control import TOKEN, auth, run, with_api


async def refused_requests(s, url, ks, out):
    async with s.post(url + "/halt", json={"reason": "x"}) as r:
        assert r.status == 401
    async with s.post(url + "/halt", data=b'{"reason": ', headers=auth()) as r:
        assert r.status == 400
    async with s.get(url + "/status", headers=auth()) as r:
        assert r.status == 200


def control_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "refbot.control"]


def test_hardened_logs_every_refused_request_without_the_token(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="refbot.control"):
        run(with_api(tmp_path, "none", refused_requests))
    lines = control_lines(caplog)
    assert "control POST /halt -> 401" in lines
    assert "control POST /halt -> 400" in lines
    assert not any("/status" in x for x in lines)  # a 200 is not an error
    assert TOKEN not in caplog.text


def test_flaw_control_errors_not_logged_leaves_no_trace(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG, logger="refbot.control"):
        run(with_api(tmp_path, flaws.CONTROL_ERRORS_NOT_LOGGED, refused_requests))
    # FLAW 000_2ae31cbfe79758d1.txt#T-L9: the 401 and the 400 were answered, nothing was logged.
    assert not any("->" in x for x in control_lines(caplog))
