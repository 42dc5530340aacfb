import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { faultKinds } from '../faults/registry.ts';
import { auditMarks, expandRange } from './audit-text.ts';
import { loadCatalog, PROJECT_ROOT, parseCatalog } from './load.ts';
import { isSlugId, slugify } from './slug.ts';
import { REQUIRED_FAMILIES } from './types.ts';

const KINDS = faultKinds().map((k) => k.name);
const A = '000_0123456789abcdef.txt';

function minimal(): Record<string, unknown> {
  return {
    version: 1,
    slugRule: 'rule',
    audits: [{ file: A, title: 't', sha256: 'a'.repeat(64), idScheme: 's' }],
    families: REQUIRED_FAMILIES.map((id) => ({ id, title: id, description: id })),
    inputs: [{ id: 'config-invalid', description: 'd' }],
    findings: [
      {
        id: `${A}#E-C1`,
        audit: A,
        title: 't',
        severity: 'critical',
        severityText: 'CRITICAL',
        category: null,
        file: null,
        summary: 's',
        acceptance: [],
        anchors: ['E-C1. t'],
        testable: true,
        reason: 'r',
        family: 'stale-or-gappy-data',
        faults: ['ws-disconnect', 'input:config-invalid'],
      },
      {
        id: `${A}#dead-code-in-warmup`,
        audit: A,
        title: 't',
        severity: 'low',
        severityText: 'Low',
        category: 'c',
        file: 'f.py',
        summary: 's',
        acceptance: ['a'],
        anchors: ['Dead code in warmup'],
        testable: false,
        reason: 'dead code',
      },
    ],
  };
}

function finding(c: Record<string, unknown>, i: number): Record<string, unknown> {
  return (c.findings as Record<string, unknown>[])[i] as Record<string, unknown>;
}

function problems(mutate: (c: Record<string, unknown>) => void): string {
  const c = minimal();
  mutate(c);
  try {
    parseCatalog(c, KINDS);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return '';
}

describe('slugify', () => {
  it('is a pure function of the text: lower case, ascii words, at most 8, joined by "-"', () => {
    expect(slugify('`on_start()` silently returns on config failure without setting `_critical_error`')).toBe(
      'on-start-silently-returns-on-config-failure-without',
    );
    expect(slugify('Prometheus binds to all interfaces (`0.0.0.0`)')).toBe('prometheus-binds-to-all-interfaces-0-0-0');
    expect(slugify('Déjà vu — naïve')).toBe('deja-vu-naive');
    expect(slugify('same text')).toBe(slugify('same text'));
  });

  it('tells slugs (lower case) from audit ids (with capitals)', () => {
    expect(isSlugId('dead-code-in-warmup')).toBe(true);
    for (const id of ['E-C1', 'C1', 'R3', 'P0-1', 'C-PORT-03']) expect(isSlugId(id)).toBe(false);
  });
});

describe('parseCatalog', () => {
  it('accepts a valid catalog', () => {
    expect(parseCatalog(minimal(), KINDS).findings).toHaveLength(2);
  });

  it.each([
    ['a duplicate id', (c: Record<string, unknown>) => (c.findings as unknown[]).push(finding(c, 0)), 'not unique'],
    ['a malformed id', (c: Record<string, unknown>) => (finding(c, 0).id = 'E-C1'), 'id must be'],
    ['an audit that is not listed', (c: Record<string, unknown>) => (c.audits = []), 'not listed in audits'],
    [
      'a listed audit without findings',
      (c: Record<string, unknown>) => (c.audits as unknown[]).push({ file: '001_0123456789abcdef.txt', title: 't', sha256: 'b'.repeat(64), idScheme: 's' }),
      'has no findings',
    ],
    [
      'a missing required family',
      (c: Record<string, unknown>) => (c.families = (c.families as { id: string }[]).filter((f) => f.id !== 'clean-sigterm')),
      'required family clean-sigterm',
    ],
    ['an unknown family', (c: Record<string, unknown>) => (finding(c, 0).family = 'vibes'), 'needs a family'],
    ['an unregistered fault kind', (c: Record<string, unknown>) => (finding(c, 0).faults = ['ws-explode']), 'not registered'],
    ['an undefined input', (c: Record<string, unknown>) => (finding(c, 0).faults = ['input:moon-phase']), 'not defined in inputs'],
    ['a testable finding without faults', (c: Record<string, unknown>) => (finding(c, 0).faults = []), 'needs faults'],
    ['a non-testable finding with a family', (c: Record<string, unknown>) => (finding(c, 1).family = 'stale-or-gappy-data'), 'has no family or faults'],
    ['a slug that does not match its anchor', (c: Record<string, unknown>) => (finding(c, 1).anchors = ['Something else']), 'slug must be something-else'],
    ['an unknown severity', (c: Record<string, unknown>) => (finding(c, 0).severity = 'urgent'), 'severity must be'],
    ['a missing reason', (c: Record<string, unknown>) => delete finding(c, 1).reason, 'reason must be'],
    ['an alias that clashes with an id', (c: Record<string, unknown>) => (finding(c, 1).aliases = ['E-C1']), 'already used by'],
    ['a related id that does not exist', (c: Record<string, unknown>) => (finding(c, 1).related = [`${A}#E-C9`]), 'is not a catalog id'],
  ])('rejects %s', (_name, mutate, message) => {
    expect(problems(mutate)).toContain(message);
  });
});

describe('the project catalog', () => {
  const catalog = loadCatalog();

  it('validates, covers five audits and has at least 120 testable findings', () => {
    expect(catalog.audits.map((a) => a.file)).toHaveLength(5);
    expect(catalog.findings.filter((f) => f.testable).length).toBeGreaterThanOrEqual(120);
  });

  it('uses every defined input at least once', () => {
    const used = new Set(catalog.findings.flatMap((f) => f.faults ?? []));
    for (const i of catalog.inputs) expect(used, i.id).toContain(`input:${i.id}`);
  });
});

describe('auditMarks (one extractor per audit format)', () => {
  it('reads ### headings with area-severity ids', () => {
    expect(auditMarks('# HIGH (1)\n\n### E-H1. `daemon.py` — leak\n\n### Not-a-finding\n').ids).toEqual(['E-H1']);
  });

  it('reads a finding index and the non-GOOD rows of area tables', () => {
    const text = [
      '## Area 2: X',
      '| Finding | Status | Risk | Location |',
      '| `GridEngine` is fine | GOOD | Low | `a.py` |',
      '| **PrecisionGuard uses floats** | CRITICAL | Medium | `p.py:1` |',
      '| Asymmetric floor | NEEDS IMPROVEMENT | Medium | `g.py` |',
      '## Finding Index by Severity',
      '### Critical',
      '| ID | Finding | Location |',
      '| C7 | `PrecisionGuard` uses floats | `p.py:1` |',
    ].join('\n');
    expect(auditMarks(text)).toEqual({ ids: ['C7'], snippets: ['PrecisionGuard uses floats', 'Asymmetric floor'] });
  });

  it('reads a risk register, roadmap headings, flagged bullets and a risk matrix', () => {
    const text = [
      '1. **❌ CRITICAL: Test Coverage Gap** — only 2%',
      '- ✅ fine',
      '- ❌ No exponential backoff visible in code scan',
      '- 🟡 **Medium:** 602 long lines',
      '| Risk | Probability | Impact | Mitigation |',
      '|------|-------------|--------|------------|',
      '| Typo in profile name → silent default | Medium | High | Add schema validation |',
      '',
      '**Risk:** secrets could leak.',
      '## 9. RISK REGISTER',
      '| R1 | Test coverage gap | High |',
      '## 10. ROADMAP',
      '#### P0-1: Audit Live Trading Code (ETA: 1 day)',
    ].join('\n');
    expect(auditMarks(text)).toEqual({
      ids: ['R1', 'P0-1'],
      snippets: [
        'Test Coverage Gap',
        'No exponential backoff visible in code scan',
        '602 long lines',
        'Typo in profile name → silent default',
        'secrets could leak.',
      ],
    });
  });

  it('reads the first statement line of each confirmed-finding bullet', () => {
    const text = [
      '## Confirmed Findings (In Progress)',
      '### High',
      '- `a.py`, `b.py`',
      '  - Stale detection is aggregate.',
      '  - Impact: fail open.',
      '## Next Pass Queue',
      '- later',
    ].join('\n');
    expect(auditMarks(text)).toEqual({ ids: [], snippets: ['Stale detection is aggregate.'] });
  });

  it('reads component ids and expands range labels', () => {
    expect(expandRange('H-MAIN-01-03')).toEqual(['H-MAIN-01', 'H-MAIN-02', 'H-MAIN-03']);
    expect(expandRange('C-PORT-03')).toEqual(['C-PORT-03']);
    const text = '**C-PORT-03: Partial Fill Budget Leak** FIXED\n**H-MAIN-01-02:** Duplicate imports, hints\n- C-ENG-04, C-ENG-05: more\n(UI-1.1)';
    expect(auditMarks(text).ids.sort()).toEqual(['C-ENG-04', 'C-ENG-05', 'C-PORT-03', 'H-MAIN-01', 'H-MAIN-02']);
  });
});

// The audits ship with the catalog (catalog/audits/), so this comparison always runs.
const AUDITS_DIR = process.env.FAULTLINE_AUDITS_DIR ?? resolve(PROJECT_ROOT, 'catalog', 'audits');

describe(`the catalog against the audit texts in ${AUDITS_DIR}`, () => {
  const catalog = loadCatalog();
  for (const audit of catalog.audits) {
    describe(audit.file, () => {
      const text = readFileSync(join(AUDITS_DIR, audit.file), 'utf8');
      const findings = catalog.findings.filter((f) => f.audit === audit.file);
      const marks = auditMarks(text);

      it('is the text the catalog was built from', () => {
        expect(createHash('sha256').update(text).digest('hex')).toBe(audit.sha256);
      });

      it('has every finding id the audit labels, and only labels that occur in it', () => {
        const labels = findings.flatMap((f) => [f.id.slice(audit.file.length + 1), ...(f.aliases ?? [])]).filter((l) => !isSlugId(l));
        expect(marks.ids.filter((id) => !labels.includes(id))).toEqual([]);
        const ranges = [...text.matchAll(/\b([A-Z]-[A-Z]+-\d{2}-\d{2})\b/g)].flatMap((m) => expandRange(m[1] ?? ''));
        const occurs = (l: string) => new RegExp(`(?<![\\w-])${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text);
        expect(labels.filter((l) => !marks.ids.includes(l) && !occurs(l) && !ranges.includes(l))).toEqual([]);
      });

      it('anchors every unnumbered finding the audit states', () => {
        const anchors = new Set(findings.flatMap((f) => f.anchors));
        const missing = marks.snippets.filter((s) => !anchors.has(s));
        expect(missing).toEqual([]);
      });

      it('quotes only text the audit contains', () => {
        const invented = findings.flatMap((f) => f.anchors.filter((a) => !text.includes(a)).map((a) => `${f.id}: ${a}`));
        expect(invented).toEqual([]);
      });

      it('quotes acceptance criteria verbatim', () => {
        const invented = findings.flatMap((f) => f.acceptance.filter((a) => !text.includes(a)).map((a) => `${f.id}: ${a}`));
        expect(invented).toEqual([]);
      });
    });
  }
});
