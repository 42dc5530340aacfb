import { describe, expect, it } from 'vitest';
import { SyntheticHistory } from '../history/synthetic.ts';
import { noSecretLeak } from './no-secret-leak.ts';
import type { CheckContext } from './types.ts';

const ctx = { capabilities: [], options: {} } as unknown as CheckContext;
const files = [
  { file: 'stdout.log', bytes: 5000, lines: 80 },
  { file: 'stderr.log', bytes: 20_000, lines: 200 },
];

function scanned(hits: unknown[], more: Record<string, unknown> = {}): { h: SyntheticHistory; start: number; scan: number } {
  const h = new SyntheticHistory();
  const start = h.at(0).add('fault', 'fault.start', { id: 'f1', kind: 'target-output-scan', params: {} }, 'bot-1');
  const scan = h.at(9000).add('fault', 'output.scan', { id: 'f1', files, secretsKnown: ['api-key', 'api-secret'], hits, running: true, ...more }, 'bot-1');
  return { h, start, scan };
}

describe('no-secret-leak', () => {
  it('cites M10', () => {
    expect(noSecretLeak.findings).toEqual(['001_0474a2fd1532b929.txt#M10']);
  });

  it('passes when the scanned output holds no secret', () => {
    const r = noSecretLeak.check(scanned([]).h.events, ctx);
    expect(r.valid).toBe(true);
    expect(r.stats).toMatchObject({ scans: 1, bytesScanned: 25_000, linesScanned: 280, secretsKnown: 2, leakedLines: 0 });
  });

  it('fails on every line with a secret, scan first, then the fault start', () => {
    const { h, start, scan } = scanned([
      { file: 'stderr.log', line: 12, secret: 'api-key', excerpt: "request GET /x headers={'X-MBX-APIKEY': '<redacted:api-key>'}" },
      { file: 'stderr.log', line: 13, secret: 'api-key', excerpt: 'again' },
    ]);
    const r = noSecretLeak.check(h.events, ctx);
    expect(r.valid).toBe(false);
    expect(r.violations).toHaveLength(2);
    expect(r.violations[0]?.evidence).toEqual([scan, start]);
    expect(r.violations[0]?.message).toMatch(/api-key to stderr\.log line 12.*#M10/);
    expect(r.stats.leakedLines).toBe(2);
  });

  it('is unknown without a scan, without known secrets, or without output', () => {
    expect(noSecretLeak.check(new SyntheticHistory().events, ctx).valid).toBe('unknown');
    expect(noSecretLeak.check(scanned([], { secretsKnown: [] }).h.events, ctx).valid).toBe('unknown');
    expect(noSecretLeak.check(scanned([], { files: [] }).h.events, ctx).valid).toBe('unknown');
  });
});
