/**
 * The finding catalog (catalog/findings.json): every finding of the audit reports in
 * catalog/audits/ (copies of ../shared/audits/), classified as externally testable or not. See load.ts for the validation
 * rules and slug.ts for how findings without an audit id get theirs.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Invariant families the catalog must define (issue 7). The catalog may define more; every
 * testable finding names exactly one family from the catalog's own list.
 */
export const REQUIRED_FAMILIES: readonly string[] = [
  'stale-or-gappy-data',
  'reconnect-refetch-private-state',
  'one-order-per-intent',
  'fills-positions-budget-match-venue',
  'pagination-followed',
  'exits-reduce-only-verified',
  'limits-count-pending',
  'guards-fail-closed',
  'halt-kill-switch-circuit-breaker',
  'tick-step-symbol-filters',
  'degenerate-market-data',
  'loop-never-stalls',
  'outbound-discipline',
  'redis-db-outage-single-writer',
  'crash-consistent-state',
  'clean-sigterm',
  'bounded-resources',
  'config-fails-fast',
  'paper-never-production-own-orders-only',
  'control-api-hardened',
  'clock-skew-fails-closed',
];

/** A fault entry that is not a registered fault kind but an input the scenario sets up. */
export const INPUT_PREFIX = 'input:';

export interface AuditInfo {
  /** File name in the audits folder, e.g. `000_2ae31cbfe79758d1.txt`. */
  file: string;
  /** What the report covers, in one line. */
  title: string;
  /** sha256 of the audit text the catalog was built from. */
  sha256: string;
  /** How this audit labels its findings and how the catalog derives ids from it. */
  idScheme: string;
}

export interface FamilyInfo {
  id: string;
  title: string;
  description: string;
}

export interface InputInfo {
  /** Used in a finding's `faults` as `input:<id>`. */
  id: string;
  description: string;
}

export interface Finding {
  /** `<audit file>#<finding id>`: the audit's own id, or a slug of `anchors[0]` (slug.ts). */
  id: string;
  audit: string;
  title: string;
  severity: Severity;
  /** The audit's own severity wording. */
  severityText: string;
  category: string | null;
  /** Code location the audit cites. */
  file: string | null;
  /** One line, in the catalog's words. */
  summary: string;
  /** Acceptance criteria, verbatim where the audit gives them. */
  acceptance: string[];
  /** Verbatim snippets of the audit text that state this finding (headings, table cells, bullets). */
  anchors: string[];
  /** Other labels the audit uses for the same finding (e.g. a roadmap item, an older numbering). */
  aliases?: string[];
  /** Status the audit itself reports, e.g. `fixed` or `mitigated`. */
  auditStatus?: string;
  /** Other catalog ids that overlap this one. */
  related?: string[];
  testable: boolean;
  reason: string;
  /** Testable findings only: the invariant family. */
  family?: string;
  /** Testable findings only: fault kinds (harness/faults/registry.ts) or `input:<id>` inputs. */
  faults?: string[];
}

export interface Catalog {
  version: 1;
  slugRule: string;
  audits: AuditInfo[];
  families: FamilyInfo[];
  inputs: InputInfo[];
  findings: Finding[];
}
