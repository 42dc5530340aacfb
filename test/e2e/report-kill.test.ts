import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../harness/cli/report-command.ts';
import { readHistory } from '../../harness/history/reader.ts';
import type { HistoryEvent } from '../../harness/history/types.ts';
import type { RunSummary } from '../../harness/report/summary.ts';
import { xmllintSchema } from '../../harness/report/xmllint.ts';
import { sweepOrphans } from '../../harness/runtimes/local/sweep.ts';
import { ROOT, runArgs, startCli, waitForHistoryEvent } from './cli-run.ts';

const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-report-kill-'));
afterAll(() => {
  // Whatever happened above, leave no orphan behind.
  sweepOrphans();
  rmSync(reportsDir, { recursive: true, force: true });
});

/** Running, not a zombie: an orphan reparented to a non-reaping PID 1 would still answer kill(0). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function childPids(events: HistoryEvent[]): number[] {
  return events.filter((e) => e.type === 'dep.start' || e.type === 'target.start').map((e) => (e.data as { pid: number }).pid);
}

function sink(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const write = (s: string) => {
    text += s;
    return true;
  };
  return { stream: { write } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('faultline report on a SIGKILLed run', () => {
  it('yields a report marked partial with every event recorded before the kill, and sweeps the orphans', async () => {
    const { child, done } = startCli(runArgs({ scenario: 'ws-disconnect-stale-prices', profile: 'naive', seed: 5, reportsDir }));
    await waitForHistoryEvent(reportsDir, 'fault.start', 60_000);
    child.kill('SIGKILL');
    const r = await done;
    expect(r.signal).toBe('SIGKILL');

    const runDir = realpathSync(join(reportsDir, 'latest'));
    expect(existsSync(join(runDir, 'summary.json'))).toBe(false);
    const before = readHistory(join(runDir, 'history.jsonl'));
    expect(before.events.some((e) => e.type === 'run.end')).toBe(false);
    const pids = childPids(before.events);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    // The kill really orphaned them (otherwise the sweep below proves nothing).
    expect(pids.filter(running).length).toBeGreaterThan(0);

    const out = sink();
    const err = sink();
    const code = await reportCommand([runDir], { out: out.stream, err: err.stream });
    expect(err.text()).toMatch(new RegExp(`harness ${child.pid} is gone: killed \\d+ orphaned process`));
    // The test's own sweep (idempotent) and the proof: every process the run started is gone.
    sweepOrphans();
    await until('orphans to exit', () => pids.every((p) => !running(p)), 5_000);

    expect(out.text()).toMatch(/PARTIAL/);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.partial).toBe(true);
    expect(summary.scenarios[0]?.partial).toBe(true);
    expect(summary.verdict).not.toBe('pass');
    expect(code).toBe(summary.verdict === 'fail' ? 1 : 3);
    for (const c of summary.scenarios.flatMap((s) => s.checks)) expect(c.valid).not.toBe(true);

    // Every event recorded before the kill is in the report (the history is not touched).
    const after = readHistory(join(runDir, 'history.jsonl'));
    expect(after.events).toEqual(before.events);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    const last = before.events.at(-1) as HistoryEvent;
    expect(html).toContain('<html lang="en" data-verdict');
    expect(html).toContain('data-partial="true"');
    expect(html).toContain(`uses all ${before.events.length} events recorded before that (the last one, #${last.seq},`);
    // The fault was never healed in the history: its band is open to the end.
    expect(html).toMatch(
      /data-lane="faults" data-kind="ws-disconnect" data-fault-id="f1" data-instance="bot-1" data-from="[\d.]+" data-to="[\d.]+" data-open="true"/,
    );
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toMatch(/Partial run/);
    const junit = xmllintSchema(join(runDir, 'junit.xml'));
    expect(junit.ok, junit.output).toBe(true);
    expect(readFileSync(join(reportsDir, 'index.html'), 'utf8')).toMatch(/data-partial="true"/);
  });
});
