import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../catalog/load.ts';
import type { Catalog, Finding } from '../catalog/types.ts';
import { allCheckers } from '../checkers/registry.ts';
import { ConfigError } from '../core/errors.ts';
import { coverageOf, findingsCommand, parseFindingsArgs } from './findings-command.ts';

type Row = Finding & { checks: string[]; scenarios: string[] };
interface JsonOut {
  findings: Row[];
  audits: { file: string }[];
  totals: { all: { findings: number; testable: number; withCheck: number; withScenario: number }; perAudit: { key: string }[]; perFamily: { key: string }[] };
  unknownCitations: string[];
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await findingsCommand(argv);
  vi.restoreAllMocks();
  return { code, out };
}

async function json(argv: string[]): Promise<JsonOut> {
  const { code, out } = await run(['--json', ...argv]);
  expect(code).toBe(0);
  return JSON.parse(out) as JsonOut;
}

afterEach(() => vi.restoreAllMocks());

describe('faultline findings', () => {
  const catalog = loadCatalog();

  it('--json prints the whole catalog with each finding’s checks and scenarios', async () => {
    const j = await json([]);
    expect(j.findings).toHaveLength(catalog.findings.length);
    expect(j.audits).toHaveLength(5);
    const sc2 = j.findings.find((f) => f.id === '000_2ae31cbfe79758d1.txt#S-C2');
    expect(sc2?.checks).toContain('no-risk-on-stale-market-data');
    expect(sc2?.scenarios).toContain('ws-disconnect-stale-prices');
    expect(j.totals.all.findings).toBe(catalog.findings.length);
    expect(j.totals.all.withCheck).toBeGreaterThanOrEqual(1);
    for (const f of j.findings) {
      expect(Array.isArray(f.checks)).toBe(true);
      expect(Array.isArray(f.scenarios)).toBe(true);
    }
  });

  it('filters by --testable, --family and --audit (a unique prefix is enough)', async () => {
    const testable = await json(['--testable']);
    expect(testable.findings.length).toBe(catalog.findings.filter((f) => f.testable).length);
    expect(testable.findings.every((f) => f.testable)).toBe(true);

    const fam = await json(['--family', 'clean-sigterm']);
    expect(fam.findings.length).toBeGreaterThan(0);
    expect(fam.findings.every((f) => f.family === 'clean-sigterm')).toBe(true);

    const a3 = await json(['--audit', '003', '--testable']);
    expect(a3.findings.length).toBeGreaterThan(0);
    expect(a3.findings.every((f) => f.audit === '003_a7371304fd1017c8.txt' && f.testable)).toBe(true);
    expect(a3.audits.map((a) => a.file)).toEqual(['003_a7371304fd1017c8.txt']);
    expect(a3.totals.perAudit.map((r) => r.key)).toEqual(['003_a7371304fd1017c8.txt']);

    const full = await json(['--audit', '003_a7371304fd1017c8.txt']);
    expect(full.findings.length).toBe(catalog.findings.filter((f) => f.audit === '003_a7371304fd1017c8.txt').length);
  });

  it('prints a table per audit and totals per audit and per family', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}id +severity +testable +family +check +scenario +title$/m);
    expect(out).toMatch(/^ {2}S-C2 +critical +yes +stale-or-gappy-data +no-risk-on-stale-market-data /m);
    expect(out).toMatch(/^ {2}E-C3 +critical +no +- +- +- /m);
    expect(out).toContain('Per audit:');
    expect(out).toMatch(new RegExp(`^ {2}total +${catalog.findings.length} +${catalog.findings.filter((f) => f.testable).length} `, 'm'));
    expect(out).toContain('Per family:');
    expect(out).toMatch(/^ {2}\(not testable\) +\d+ +0 /m);
  });

  it('--coverage prints the totals only', async () => {
    const { out } = await run(['--coverage']);
    expect(out).toContain('Per audit:');
    expect(out).toContain('Per family:');
    expect(out).not.toMatch(/^ {2}S-C2 /m);
  });

  it('says so when nothing matches', async () => {
    const { out } = await run(['--family', 'no-secret-leak', '--audit', '000']);
    expect(out.trim()).toBe('no findings match');
  });

  it.each([[['--bogus']], [['stray']], [['--family']], [['--family', 'vibes']], [['--audit', '009']], [['--audit', '00']]])(
    'rejects %j with a usage error',
    async (argv) => {
      await expect(run(argv)).rejects.toBeInstanceOf(ConfigError);
    },
  );
});

describe('coverageOf', () => {
  const catalog: Catalog = loadCatalog();

  it('resolves aliases and reports citations the catalog does not know', () => {
    const cov = coverageOf(
      catalog,
      [{ name: 'c1', findings: ['002_3e6ca2bf6dfde12d.txt#P0-3', '000_2ae31cbfe79758d1.txt#Z-9'] }],
      [{ id: 's1', findings: ['002_3e6ca2bf6dfde12d.txt#R3'] }],
    );
    expect(cov.checks.get('002_3e6ca2bf6dfde12d.txt#R3')).toEqual(['c1']);
    expect(cov.scenarios.get('002_3e6ca2bf6dfde12d.txt#R3')).toEqual(['s1']);
    expect(cov.unknown).toEqual(['check c1 cites 000_2ae31cbfe79758d1.txt#Z-9, which is not in the catalog']);
  });

  it('knows every finding the registered checks cite', () => {
    expect(coverageOf(catalog, allCheckers(), []).unknown).toEqual([]);
  });
});

describe('parseFindingsArgs', () => {
  it('defaults every flag off', () => {
    expect(parseFindingsArgs([])).toEqual({ json: false, testable: false, coverage: false, family: undefined, audit: undefined });
  });
});
