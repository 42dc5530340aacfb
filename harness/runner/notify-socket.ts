import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RuntimeFailure } from '../core/errors.ts';
import type { Recorder } from '../history/types.ts';

/** `target notify`: one datagram the bot sent to its NOTIFY_SOCKET (sd_notify), split into its assignments. */
export interface NotifyData {
  msg: string;
  /** KEY=VALUE lines of the datagram (READY=1, WATCHDOG=1, STATUS=..., STOPPING=1). */
  state: Record<string, string>;
}

export interface NotifySocket {
  /** The socket's path, handed to the bot as NOTIFY_SOCKET. */
  path: string;
  /** The folder holding it (bind-mounted at the same path by container runtimes). */
  dir: string;
  close(): Promise<void>;
}

const RECEIVER = join(import.meta.dirname, 'notify-receiver.py');
const BIND_TIMEOUT_MS = 10_000;

/** Splits a notify datagram ("READY=1\nSTATUS=trading") into its assignments; lines without "=" are dropped. */
export function parseNotify(msg: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const line of msg.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) state[line.slice(0, i)] = line.slice(i + 1);
  }
  return state;
}

/**
 * A systemd-style notify socket for one target instance, as a unit with `Type=notify` and
 * `WatchdogSec=` gives its service: every datagram the bot sends becomes a `target notify` event
 * (NotifyData) of that instance. Node cannot receive Unix datagrams, so a small Python receiver
 * (notify-receiver.py, python3 or $FAULTLINE_PYTHON) binds the socket and forwards each datagram
 * as a JSON line. The socket lives in its own temporary folder (a short path: Unix socket paths
 * are limited to 107 bytes), removed on close together with the receiver.
 */
export async function openNotifySocket(opts: { instance: string; recorder: Recorder }): Promise<NotifySocket> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-notify-'));
  chmodSync(dir, 0o711); // a container's user may differ from the harness's
  const path = join(dir, 'notify.sock');
  const python = process.env.FAULTLINE_PYTHON ?? 'python3';
  let child: ChildProcess;
  const cleanup = () => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    child = spawn(python, [RECEIVER, path], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => {
        stderr = (stderr + b.toString()).slice(-2000);
      });
      const timer = setTimeout(
        () => reject(new RuntimeFailure(`the notify socket receiver did not bind ${path} within ${BIND_TIMEOUT_MS} ms`)),
        BIND_TIMEOUT_MS,
      );
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(
          new RuntimeFailure(
            `cannot start ${python} for the watchdog's notify socket (${err.message}); Node cannot receive Unix datagrams, so Faultline needs python3 (or FAULTLINE_PYTHON) for scenarios with a watchdog`,
          ),
        );
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new RuntimeFailure(`the notify socket receiver exited (code ${code}): ${stderr.trim()}`));
      });
      lines.on('line', (line) => {
        if (line === 'bound') {
          clearTimeout(timer);
          resolve();
          return;
        }
        let msg: string;
        try {
          msg = String((JSON.parse(line) as { msg: unknown }).msg);
        } catch {
          return;
        }
        const data: NotifyData = { msg, state: parseNotify(msg) };
        opts.recorder.record('target', 'notify', data as unknown as Record<string, unknown>, opts.instance);
      });
    });
  } catch (err) {
    cleanup();
    throw err;
  }
  child.removeAllListeners('exit');
  let closing = false;
  // A receiver that dies mid-run would look like a bot that stopped pinging: say so in the history.
  child.once('exit', (code, sig) => {
    if (!closing) opts.recorder.record('harness', 'notify.receiver.exit', { code, signal: sig }, opts.instance);
  });
  return {
    path,
    dir,
    close: async () => {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
