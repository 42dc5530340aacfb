/**
 * What an audit text itself says its findings are, so the catalog can be cross-checked against it
 * (nothing missed, nothing invented). The five reports use five formats; each extractor below
 * recognises one format by its structure and returns nothing for the others.
 *
 * - `ids`: finding ids the audit labels (headings, finding-index rows, risk-register rows,
 *   roadmap headings). Each must be a catalog id or alias of that audit, and vice versa.
 * - `snippets`: verbatim texts of findings the audit does not number (table rows, bullets).
 *   Each must be an anchor of some catalog finding of that audit.
 */

export interface AuditMarks {
  ids: string[];
  snippets: string[];
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

function stripBold(s: string): string {
  return s.replace(/^\*\*(.*)\*\*$/, '$1').trim();
}

/** The lines between a heading matching `start` and the next heading of the same or higher level. */
function section(text: string, start: RegExp): string[] {
  const all = lines(text);
  const i = all.findIndex((l) => start.test(l));
  if (i < 0) return [];
  const level = /^#+/.exec(all[i] ?? '')?.[0].length ?? 2;
  const out: string[] = [];
  for (const l of all.slice(i + 1)) {
    const h = /^(#+) /.exec(l);
    if (h && (h[1]?.length ?? 0) <= level) break;
    out.push(l);
  }
  return out;
}

/** Format A (000): `### E-C1. title` headings. */
function headingIds(text: string): AuditMarks {
  const ids = [...text.matchAll(/^### ([A-Z]-[CHML]\d+)\. /gm)].map((m) => m[1] ?? '');
  return { ids, snippets: [] };
}

/**
 * Format B (001): a "Finding Index by Severity" (C1, H1, M1 rows) plus per-area tables whose
 * rows carry a Status; every row that is not GOOD is a finding (indexed or not).
 */
function indexAndAreaTables(text: string): AuditMarks {
  if (!/^## Finding Index by Severity/m.test(text)) return { ids: [], snippets: [] };
  const ids = section(text, /^## Finding Index by Severity/)
    .map((l) => /^\| ([CHML]\d+) \|/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
  const snippets: string[] = [];
  for (const l of lines(text)) {
    const m = /^\| (.+?) \| (GOOD|CRITICAL|NEEDS IMPROVEMENT) \| (?:Low|Medium|High|Critical) \| .* \|$/.exec(l);
    if (m && m[2] !== 'GOOD') snippets.push(stripBold(m[1] ?? ''));
  }
  return { ids, snippets };
}

/**
 * Format C (002): a risk register (R1..R15 rows), roadmap headings (`#### P0-1: …`), and
 * findings stated as flagged bullets (❌ ⚠️ 🟡 ℹ️), flagged summary items, a configuration risk
 * matrix and `**Risk:**` lines.
 */
function riskRegisterAndBullets(text: string): AuditMarks {
  if (!/^## \d+\. RISK REGISTER/m.test(text)) return { ids: [], snippets: [] };
  const ids = [
    ...section(text, /^## \d+\. RISK REGISTER/)
      .map((l) => /^\| (R\d+) \|/.exec(l)?.[1])
      .filter((x): x is string => x !== undefined),
    ...[...text.matchAll(/^#### (P\d-\d+):/gm)].map((m) => m[1] ?? ''),
  ];
  const snippets: string[] = [];
  let inRiskMatrix = false;
  for (const l of lines(text)) {
    const summary = /^\d+\. \*\*(?:❌|⚠️) [A-Z]+: (.+?)\*\*/.exec(l);
    if (summary) snippets.push(summary[1] ?? '');
    const bullet = /^- (?:❌|⚠️|🟡|ℹ️) (?:\*\*[A-Za-z]+:\*\* )?(.+)$/.exec(l);
    if (bullet) snippets.push(bullet[1] ?? '');
    const risk = /^\*\*Risk:\*\* (.+)$/.exec(l);
    if (risk) snippets.push(risk[1] ?? '');
    if (/^\| Risk \| Probability \| Impact \| Mitigation \|/.test(l)) inRiskMatrix = true;
    else if (inRiskMatrix && !/^\|[-| ]+\|$/.test(l)) {
      const row = /^\| (.+?) \|/.exec(l);
      if (row) snippets.push(row[1] ?? '');
      else inRiskMatrix = false;
    }
  }
  return { ids, snippets };
}

/**
 * Format D (003): a running log; under "Confirmed Findings", per severity, each finding is a
 * bullet of file paths whose first sub-bullet states the finding.
 */
function confirmedFindingBullets(text: string): AuditMarks {
  const body = section(text, /^## Confirmed Findings/);
  const snippets: string[] = [];
  let expectStatement = false;
  for (const l of body) {
    if (/^- /.test(l)) {
      expectStatement = true;
      continue;
    }
    const sub = /^ {2}- (.+)$/.exec(l);
    if (sub && expectStatement) {
      snippets.push(sub[1] ?? '');
      expectStatement = false;
    }
  }
  return { ids: [], snippets };
}

/** Expands `H-MAIN-01-06` to H-MAIN-01 … H-MAIN-06 (a range label the audit uses for six findings). */
export function expandRange(label: string): string[] {
  const m = /^([A-Z]-[A-Z]+-)(\d{2})-(\d{2})$/.exec(label);
  if (!m) return [label];
  const [, prefix = '', from = '0', to = '0'] = m;
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(`${prefix}${String(n).padStart(2, '0')}`);
  return out;
}

/** Format E (004): `**C-PORT-03: title**` blocks, phase tables and lists naming such ids. */
function componentIds(text: string): AuditMarks {
  if (!/^\*\*[CHML]-[A-Z]+-\d{2}(?:-\d{2})?:/m.test(text)) return { ids: [], snippets: [] };
  const ids = new Set<string>();
  for (const m of text.matchAll(/\b([CHML]-[A-Z]+-\d{2}(?:-\d{2})?)(?![\d.])/g)) for (const id of expandRange(m[1] ?? '')) ids.add(id);
  return { ids: [...ids], snippets: [] };
}

export function auditMarks(text: string): AuditMarks {
  const parts = [headingIds(text), indexAndAreaTables(text), riskRegisterAndBullets(text), confirmedFindingBullets(text), componentIds(text)];
  return { ids: [...new Set(parts.flatMap((p) => p.ids))], snippets: parts.flatMap((p) => p.snippets) };
}
