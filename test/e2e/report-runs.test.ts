import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../harness/cli/report-command.ts';
import { validateJson } from '../../harness/report/json-schema.ts';
import type { RunSummary } from '../../harness/report/summary.ts';
import { xmllintSchema } from '../../harness/report/xmllint.ts';
import { artifacts, ROOT, type RunArtifacts, runArgs, runCli } from './cli-run.ts';

/**
 * One naive and one hardened refbot run (started together, ~20 s) shared by every report test:
 * the HTML in headless Chromium, junit.xml against the JUnit schema, summary.json against its
 * JSON Schema, `faultline report` rebuilding the same verdicts, and the run index.
 */
const reportsDir = mkdtempSync(join(ROOT, 'reports', '.e2e-report-'));
let naive: RunArtifacts;
let hardened: RunArtifacts;
let browser: Browser;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const schema = JSON.parse(readFileSync(join(ROOT, 'harness', 'report', 'summary.schema.json'), 'utf8')) as Record<string, unknown>;

function run(profile: string) {
  return runCli(runArgs({ scenario: 'ws-disconnect-stale-prices', profile, seed: 3, reportsDir }));
}

beforeAll(async () => {
  const [n, h] = await Promise.all([run('naive'), run('hardened')]);
  expect(n.code, n.stderr).toBe(1);
  expect(h.code, h.stderr).toBe(0);
  naive = artifacts(reportsDir, n);
  hardened = artifacts(reportsDir, h);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

function violatingSeqs(s: RunSummary): number[] {
  return s.scenarios.flatMap((x) => x.checks.flatMap((c) => c.violations.map((v) => v.evidence[0] as number)));
}

/** Opens report.html from disk, records console errors and every non-file request, screenshots it. */
async function open(a: RunArtifacts) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(join(a.runDir, 'report.html')).href);
  await page.waitForSelector('.chart[data-rendered="true"]', { timeout: 10_000 });
  const chart = await page.$eval('.chart', (e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset }));
  const lanes = await page.$$eval('.lanes .band', (els) => els.map((e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset })));
  const canvas = await page.$$eval('.chart canvas', (els) => els.map((e) => (e as unknown as { width: number }).width));
  await page.screenshot({ path: join(a.runDir, 'report.png'), fullPage: true });
  await page.close();
  return { problems, chart, lanes, canvas };
}

describe('report.html in headless Chromium', () => {
  it('naive run: renders offline without errors; the timeline shows the fault band and the violating orders', async () => {
    const r = await open(naive);
    expect(r.problems).toEqual([]);
    expect(r.canvas.length).toBeGreaterThan(0);
    expect(Number(r.chart.pricePoints)).toBeGreaterThan(40);
    expect(r.chart.faultBands).toBe('f1');
    const bad = violatingSeqs(naive.summary);
    expect(bad.length).toBeGreaterThan(0);
    expect(r.chart.violatingMarkers?.split(',').map(Number)).toEqual(bad);
    for (const seq of bad) expect(r.chart.orderMarkers?.split(',').map(Number)).toContain(seq);
    const fault = r.lanes.find((b) => b.lane === 'faults');
    const start = naive.events.find((e) => e.type === 'fault.start');
    const end = naive.events.find((e) => e.type === 'fault.end');
    expect(fault).toMatchObject({ kind: 'ws-disconnect', faultId: 'f1', open: 'false', from: String(start?.t), to: String(end?.t) });
    // WebSocket state: the market stream is down during the fault.
    expect(r.lanes.some((b) => b.lane === 'ws-market-bot-1' && b.kind === 'down' && Number(b.from) <= Number(start?.t) + 50)).toBe(true);
    expect(existsSync(join(naive.runDir, 'report.png'))).toBe(true);
    const html = readFileSync(join(naive.runDir, 'report.html'), 'utf8');
    expect(html).toContain('data-verdict="fail"');
    expect(html).toContain(naive.summary.rerun);
  });

  it('hardened run: renders, shows the fault band and no violating order', async () => {
    const r = await open(hardened);
    expect(r.problems).toEqual([]);
    expect(r.chart.faultBands).toBe('f1');
    expect(r.chart.violatingMarkers).toBe('');
    expect(Number(r.chart.pricePoints)).toBeGreaterThan(40);
    expect(existsSync(join(hardened.runDir, 'report.png'))).toBe(true);
  });
});

describe('machine-readable reports of real runs', () => {
  it('junit.xml validates against the JUnit XML schema (xmllint)', () => {
    for (const a of [naive, hardened]) {
      const r = xmllintSchema(join(a.runDir, 'junit.xml'));
      expect(r.ok, r.output).toBe(true);
    }
    expect(readFileSync(join(naive.runDir, 'junit.xml'), 'utf8')).toMatch(/<failure type="violation"/);
  });

  it('summary.json validates against summary.schema.json and records the code fingerprint and report files', () => {
    for (const a of [naive, hardened]) {
      expect(validateJson(a.summary, schema)).toEqual([]);
      expect(a.summary.files).toMatchObject({ html: 'report.html', markdown: 'report.md' });
      expect(a.summary.targetFingerprint?.value).toMatch(/^[0-9a-f]{64}$/);
      expect(a.summary.source).toBe('run');
    }
    // Same code, two profiles: the fingerprint is of the code, not the options.
    expect(naive.summary.targetFingerprint).toEqual(hardened.summary.targetFingerprint);
    expect(readFileSync(join(naive.runDir, 'report.md'), 'utf8')).toMatch(/❌ FAIL/);
  });

  it('faultline report rebuilds the same verdicts and violations from history.jsonl alone', async () => {
    const copy = join(reportsDir, `${naive.summary.runId}-copy`);
    cpSync(naive.runDir, copy, { recursive: true });
    for (const f of ['summary.json', 'junit.xml', 'report.html', 'report.md', 'report.png']) rmSync(join(copy, f), { force: true });
    let out = '';
    const write = (s: string) => {
      out += s;
      return true;
    };
    const code = await reportCommand([copy, '--json'], {
      out: { write } as unknown as NodeJS.WritableStream,
      err: { write: () => true } as unknown as NodeJS.WritableStream,
    });
    expect(code).toBe(1);
    const rebuilt = JSON.parse(out) as RunSummary;
    expect(rebuilt.source).toBe('history');
    expect(rebuilt.partial).toBeUndefined();
    expect(rebuilt.verdict).toBe(naive.summary.verdict);
    expect(rebuilt.scenarios.map((s) => s.checks.map((c) => [c.valid, c.violations]))).toEqual(
      naive.summary.scenarios.map((s) => s.checks.map((c) => [c.valid, c.violations])),
    );
    expect(validateJson(rebuilt, schema)).toEqual([]);
    for (const f of ['summary.json', 'junit.xml', 'report.html', 'report.md']) expect(existsSync(join(copy, f)), f).toBe(true);
  });

  it('reports/index.html lists the runs newest first with links, and a trend per finding and fault family', () => {
    const index = readFileSync(join(reportsDir, 'index.html'), 'utf8');
    for (const a of [naive, hardened]) expect(index).toContain(`<a href="${a.summary.runId}/report.html">${a.summary.runId}</a>`);
    const order = [...index.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([...order].sort().reverse());
    // Different options (naive vs hardened) are separate trend groups.
    expect(index.match(/<section class="trend"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(index).toMatch(/data-dimension="finding" data-key="000_2ae31cbfe79758d1.txt#S-C2"/);
    expect(index).toMatch(/data-dimension="family" data-key="ws"/);
  });
});
