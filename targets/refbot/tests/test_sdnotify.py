"""sd_notify: READY/WATCHDOG/STOPPING datagrams, pings from the loop only (000_2ae31cbfe79758d1.txt#X-L4)."""

from __future__ import annotations

import asyncio
import os
import socket
import time

import pytest

from refbot.sdnotify import Notifier


@pytest.fixture
def receiver(tmp_path):
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    yield path, sock
    sock.close()


def drain(sock: socket.socket) -> list[tuple[float, str]]:
    out = []
    while True:
        try:
            out.append((time.monotonic(), sock.recv(4096).decode()))
        except BlockingIOError:
            return out


async def run_for(n: Notifier, seconds: float, block_at: float | None = None, block_s: float = 0.0, sock=None):
    """Runs the watchdog; optionally blocks the loop thread (time.sleep) and collects datagrams meanwhile."""
    got: list[tuple[float, str]] = []
    task = asyncio.create_task(n.run_watchdog())
    start = time.monotonic()
    blocked = None
    while time.monotonic() - start < seconds:
        if block_at is not None and blocked is None and time.monotonic() - start >= block_at:
            blocked = (time.monotonic(), time.monotonic() + block_s)
            time.sleep(block_s)  # the loop is stuck: no task runs
        await asyncio.sleep(0.01)
        got.extend(drain(sock))
    task.cancel()
    n.close()
    return got, blocked


def test_without_notify_socket_nothing_is_sent_and_the_watchdog_task_idles():
    n = Notifier({})
    assert not n.enabled and n.period_s is None
    assert n.send("READY=1") is False

    async def go():
        t = asyncio.create_task(n.run_watchdog())
        await asyncio.sleep(0.05)
        assert not t.done()  # a finished task would end the bot
        t.cancel()

    asyncio.run(go())


def test_ready_and_stopping_reach_the_socket(receiver):
    path, sock = receiver
    n = Notifier({"NOTIFY_SOCKET": path})
    assert n.send("READY=1")
    n.stopping()
    assert [m for _, m in drain(sock)] == ["READY=1", "STOPPING=1"]


def test_pings_come_from_the_loop_and_stop_while_it_is_blocked(receiver):
    path, sock = receiver
    n = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
    assert n.period_s == 0.2
    got, (b0, b1) = asyncio.run(run_for(n, 1.2, block_at=0.3, block_s=0.5, sock=sock))
    pings = [t for t, m in got if m == "WATCHDOG=1"]
    assert len(pings) >= 6  # every 0.1 s outside the block
    # Datagrams sent during the block are read once it ends; none may have been sent in it: the
    # ones read right after the block number at most the one the loop sends as it resumes.
    after = [t for t in pings if b1 <= t < b1 + 0.05]
    assert len(after) <= 1


def test_flaw_watchdog_pings_from_thread_keeps_pinging_while_the_loop_is_blocked(receiver):
    path, sock = receiver
    n = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"}, thread_pings=True)
    got, (b0, b1) = asyncio.run(run_for(n, 1.2, block_at=0.3, block_s=0.5, sock=sock))
    pings = [t for t, m in got if m == "WATCHDOG=1"]
    # The thread sent ~5 pings while the loop slept; they queue in the socket and are read at once.
    assert len([t for t in pings if b1 <= t < b1 + 0.05]) >= 3


def test_flaw_no_watchdog_sends_nothing(receiver):
    path, sock = receiver
    n = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"}, disabled=True)
    assert n.send("READY=1") is False
    got, _ = asyncio.run(run_for(n, 0.4, sock=sock))
    assert got == []


def test_watchdog_for_another_pid_or_a_bad_period_is_not_ours(receiver):
    path, _ = receiver
    assert Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": str(os.getpid() + 1)}).period_s is None
    assert Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": str(os.getpid())}).period_s == 0.2
    assert Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "soon"}).period_s is None
    assert Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "0"}).period_s is None


def test_abstract_socket_names_are_supported():
    name = f"faultline-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    try:
        assert Notifier({"NOTIFY_SOCKET": "@" + name}).send("READY=1")
        assert sock.recv(100) == b"READY=1"
    finally:
        sock.close()


def test_a_missing_socket_never_raises_and_warns_once(tmp_path, caplog):
    n = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert n.send("READY=1") is False
    assert n.send("WATCHDOG=1") is False
    assert len([r for r in caplog.records if "sd_notify" in r.message]) == 1
