import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEvent, Recorder } from '../history/types.ts';
import { openNotifySocket, parseNotify } from './notify-socket.ts';

function recorder(): Recorder & { events: Pick<HistoryEvent, 'src' | 'type' | 'data' | 'instance'>[] } {
  const events: Pick<HistoryEvent, 'src' | 'type' | 'data' | 'instance'>[] = [];
  return {
    events,
    record(src, type, data, instance) {
      const e = { src, type, data, instance };
      events.push(e);
      return { seq: events.length, t: 0, ...e } as HistoryEvent<typeof data>;
    },
  } as Recorder & { events: typeof events };
}

/** Sends one datagram the way sd_notify does (Node cannot send Unix datagrams either). */
function send(path: string, msg: string): void {
  const code = 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(sys.argv[2].encode(), sys.argv[1])';
  execFileSync('python3', ['-c', code, path, msg]);
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('parseNotify', () => {
  it('splits KEY=VALUE lines and keeps "=" inside values', () => {
    expect(parseNotify('READY=1\nSTATUS=a=b\nnonsense\n')).toEqual({ READY: '1', STATUS: 'a=b' });
  });
});

describe('openNotifySocket', () => {
  const saved = process.env.FAULTLINE_PYTHON;
  afterEach(() => {
    if (saved === undefined) delete process.env.FAULTLINE_PYTHON;
    else process.env.FAULTLINE_PYTHON = saved;
  });

  it('records every datagram as target notify of its instance and removes socket and folder on close', async () => {
    const rec = recorder();
    const sock = await openNotifySocket({ instance: 'a', recorder: rec });
    try {
      expect(sock.path.length).toBeLessThan(108);
      send(sock.path, 'READY=1\nSTATUS=trading');
      send(sock.path, 'WATCHDOG=1');
      await until(() => rec.events.length === 2);
      expect(rec.events).toEqual([
        { src: 'target', type: 'notify', instance: 'a', data: { msg: 'READY=1\nSTATUS=trading', state: { READY: '1', STATUS: 'trading' } } },
        { src: 'target', type: 'notify', instance: 'a', data: { msg: 'WATCHDOG=1', state: { WATCHDOG: '1' } } },
      ]);
    } finally {
      await sock.close();
    }
    expect(existsSync(sock.dir)).toBe(false);
    expect(rec.events.some((e) => e.type === 'notify.receiver.exit')).toBe(false);
  });

  it('cleans up after itself when the harness dies: the receiver exits on EOF and removes socket and folder', async () => {
    const sock = await openNotifySocket({ instance: 'a', recorder: recorder() });
    // When the harness is gone the receiver's stdin closes: a second receiver with an empty stdin shows what it does.
    const dir = `${sock.dir}-eof`;
    mkdirSync(dir);
    const r = spawnSync('python3', [join(import.meta.dirname, 'notify-receiver.py'), join(dir, 'notify.sock')], { input: '', timeout: 5000 });
    expect(r.status).toBe(0);
    expect(String(r.stdout)).toBe('bound\n');
    expect(existsSync(dir)).toBe(false);
    await sock.close();
  });

  it('fails with a message naming python3 when the receiver cannot start, leaving no folder', async () => {
    process.env.FAULTLINE_PYTHON = '/nonexistent/python3';
    await expect(openNotifySocket({ instance: 'a', recorder: recorder() })).rejects.toThrow(/needs python3 \(or FAULTLINE_PYTHON\)/);
  });
});
