import { expect } from 'vitest';
import type { HistoryEvent, HttpRequestData } from '../../harness/history/types.ts';
import type { RunSummary, ScenarioSummary } from '../../harness/report/summary.ts';

export type CheckSummary = ScenarioSummary['checks'][number];

/** The outbound-discipline result of a one-scenario run; it must be the only check that ran. */
export function outboundCheck(summary: RunSummary): CheckSummary {
  const checks = summary.scenarios[0]?.checks ?? [];
  expect(checks.map((c) => c.name)).toEqual(['outbound-discipline']);
  return checks[0] as CheckSummary;
}

/** The history events an evidence list names; throws when one is not in the history. */
export function evidenceEvents(events: HistoryEvent[], evidence: number[]): HistoryEvent[] {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  return evidence.map((s) => {
    const e = bySeq.get(s);
    if (!e) throw new Error(`evidence seq ${s} is not in the history`);
    return e;
  });
}

/** The data of a venue http.request event (fails the test for any other event). */
export function httpRequest(e: HistoryEvent): HttpRequestData {
  expect([e.src, e.type]).toEqual(['venue', 'http.request']);
  return e.data as HttpRequestData;
}

/** The kind of a fault.start event (undefined for anything else). */
export function faultKind(e: HistoryEvent | undefined): string | undefined {
  return e?.type === 'fault.start' ? (e.data as { kind?: string }).kind : undefined;
}
