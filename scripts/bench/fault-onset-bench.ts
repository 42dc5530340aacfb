/**
 * Fault onset precision: the delay between a fault's scheduled time and the moment it is in
 * effect (fault.start recorded after the injection returned), through the real FaultDriver and a
 * real toxiproxy-server, against a bare setTimeout baseline measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledFault } from '../../harness/core/schedule.ts';
import { testContext, testToxiproxy } from '../../harness/faults/testing.ts';
import { HistoryWriter } from '../../harness/history/writer.ts';
import { FaultDriver } from '../../harness/runner/fault-driver.ts';
import { createProxyLink } from '../../harness/runtimes/proxy-link.ts';

const N = 200;
const SPACING_MS = 15;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

async function baseline(): Promise<number[]> {
  const t0 = performance.now();
  return Promise.all(
    Array.from({ length: N }, (_, i) => new Promise<number>((r) => setTimeout(() => r(performance.now() - t0 - i * SPACING_MS), i * SPACING_MS))),
  );
}

async function driver(kind: string, params: Record<string, unknown>): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-bench-onset-'));
  const tp = await testToxiproxy();
  try {
    const link = await createProxyLink(tp.client, {
      proxyName: 'bench',
      instance: 'bot-1',
      name: 'market-ws',
      upstream: '127.0.0.1:9',
      bind: '127.0.0.1:0',
      advertise: (b) => b,
    });
    const recorder = new HistoryWriter(join(dir, 'h.jsonl'));
    const late: number[] = [];
    recorder.subscribe((e) => {
      if (e.type === 'fault.start') late.push((e.data as { lateMs: number }).lateMs);
    });
    const schedule: ScheduledFault[] = Array.from({ length: N }, (_, i) => ({
      id: `f${i + 1}`,
      kind,
      instance: 'bot-1',
      link: 'market-ws',
      atMs: i * SPACING_MS,
      params,
    }));
    await new FaultDriver(schedule, testContext({ recorder, link: () => link }), (fn) => recorder.subscribe(fn)).run(
      performance.now(),
      new AbortController().signal,
    );
    recorder.close();
    return late;
  } finally {
    await tp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = await baseline();
const toxic = await driver('link-latency', { durationMs: 5, latencyMs: 1 });
const disable = await driver('ws-disconnect', { durationMs: 5 });
const row = (name: string, xs: number[]) =>
  `| ${name.padEnd(38)} | ${pct(xs, 50).toFixed(2).padStart(7)} | ${pct(xs, 99).toFixed(2).padStart(7)} | ${(pct(xs, 99) / Math.max(0.01, pct(base, 99))).toFixed(1).padStart(6)}x |`;
console.log(`fault onset lateness, ms (${N} faults ${SPACING_MS} ms apart; goal: p99 < 20 ms)`);
console.log('| path                                   |     p50 |     p99 | p99 vs baseline |');
console.log('|----------------------------------------|---------|---------|-----------------|');
console.log(row('setTimeout alone (baseline)', base));
console.log(row('driver + toxic add (link-latency)', toxic));
console.log(row('driver + proxy disable (ws-disconnect)', disable));
