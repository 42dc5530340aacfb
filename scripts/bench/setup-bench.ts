/**
 * Setup time per runtime: from the run's start (history t=0) to every target instance ready
 * (`scenario.ready`), through the real CLI on the S-C2 scenario with the hardened refbot, on the
 * local and the containers runtime, with the containers/local ratio. Each run also reports the
 * breakdown up to the first dependency, the target build and the target start. Needs a provisioned
 * machine with a running Docker engine (npm run provision).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RUNS = Number(process.env.FAULTLINE_BENCH_SETUP_RUNS ?? 3);

interface Ev {
  t: number;
  type: string;
  data: Record<string, unknown>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function oneRun(runtime: string, reportsDir: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'harness/cli/faultline.mjs'),
      'run',
      'ws-disconnect-stale-prices',
      '--target',
      'refbot',
      '--target-opt',
      'profile=hardened',
      '--seed',
      '1',
      '--runtime',
      runtime,
      '--reports-dir',
      reportsDir,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  const runDir = join(reportsDir, readlinkSync(join(reportsDir, 'latest')));
  const events = readFileSync(join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ev);
  const at = (match: (e: Ev) => boolean) => events.find(match)?.t ?? Number.NaN;
  const ready = at((e) => e.type === 'scenario.ready');
  if (!Number.isFinite(ready)) throw new Error(`${runtime} run did not get ready (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return {
    ready,
    deps: at((e) => e.type === 'link.create'),
    targetStart: at((e) => e.type === 'target.start'),
  };
}

const rows: Record<string, Record<string, number>[]> = { local: [], containers: [] };
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.bench-setup-'));
try {
  // One unmeasured run each: builds (venv, image) and page caches are warm for every measured run.
  for (const rt of Object.keys(rows)) oneRun(rt, reportsDir);
  for (let i = 0; i < RUNS; i++) for (const rt of Object.keys(rows)) rows[rt]?.push(oneRun(rt, reportsDir));
} finally {
  rmSync(reportsDir, { recursive: true, force: true });
}
const fmt = (n: number) => `${Math.round(n)} ms`.padStart(9);
process.stdout.write(`setup time, run start -> target ready (median of ${RUNS}; S-C2 scenario, refbot hardened)\n`);
process.stdout.write(`runtime       ready  deps+links  target.start\n`);
const med: Record<string, number> = {};
for (const [rt, rs] of Object.entries(rows)) {
  med[rt] = median(rs.map((r) => r.ready as number));
  process.stdout.write(
    `${rt.padEnd(10)} ${fmt(med[rt] as number)} ${fmt(median(rs.map((r) => r.deps as number)))} ${fmt(median(rs.map((r) => r.targetStart as number)))}\n`,
  );
}
process.stdout.write(`ratio containers/local: ${((med.containers as number) / (med.local as number)).toFixed(2)}x\n`);
