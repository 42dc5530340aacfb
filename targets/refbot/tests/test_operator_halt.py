"""refbot/killswitch.py operator_halt: the control API's runtime halt survives a restart
(002_3e6ca2bf6dfde12d.txt#runtime-overrides-not-persisted); the flaw operator-halt-not-persisted
keeps it in memory only."""

from __future__ import annotations

import os

from refbot.killswitch import HALT_FILE, KillSwitch
from test_killswitch import Clock, cfg, out  # noqa: F401  (out is a fixture)


def test_hardened_operator_halt_is_persisted_and_restored(tmp_path, out):  # noqa: F811
    clock = Clock()
    ks = KillSwitch(cfg(str(tmp_path)), clock)
    ks.operator_halt("control-api")
    assert ks.halted and os.path.exists(tmp_path / HALT_FILE)
    clock.t += 2.0
    again = KillSwitch(cfg(str(tmp_path)), clock)  # the restarted process
    again.restore()
    assert again.halted and not again.may_open_risk()
    restored = [p for p in out() if p["probe"] == "halt" and p.get("restored")]
    assert [(p["reason"], p["cooldownMs"]) for p in restored] == [("control-api", 3000)]
    clock.t += 3.1
    assert again.may_open_risk()  # the cooldown ends as it would have without the restart


def test_flaw_operator_halt_lives_in_memory_only(tmp_path, out):  # noqa: F811
    clock = Clock()
    ks = KillSwitch(cfg(str(tmp_path), "operator-halt-not-persisted"), clock)
    ks.operator_halt("control-api")
    assert ks.halted and not ks.may_open_risk()  # the running process obeys it
    assert not os.path.exists(tmp_path / HALT_FILE)
    again = KillSwitch(cfg(str(tmp_path), "operator-halt-not-persisted"), clock)
    again.restore()
    assert not again.halted and again.may_open_risk()  # the restart dropped the override


def test_flaw_leaves_other_halts_persisted(tmp_path, out):  # noqa: F811
    ks = KillSwitch(cfg(str(tmp_path), "operator-halt-not-persisted"), Clock())
    ks.halt("kill-file")
    assert os.path.exists(tmp_path / HALT_FILE)
