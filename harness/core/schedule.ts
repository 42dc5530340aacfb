import { rngFor } from './rng.ts';
import type { FaultSpec, Scenario } from './scenario.ts';

/** One planned fault occurrence: what fires, on which instance and link, when. */
export interface ScheduledFault {
  id: string;
  kind: string;
  instance: string;
  link?: string;
  atMs: number;
  params: Record<string, unknown>;
}

export function instanceIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bot-${i + 1}`);
}

/**
 * The fault schedule is a pure function of (scenario, seed): random times are drawn from a
 * stream derived from the seed and scenario id, so the same seed gives the same schedule byte for
 * byte, and it is recorded in the history before anything fires.
 */
export function buildSchedule(scenario: Scenario, seed: number): ScheduledFault[] {
  const rng = rngFor(seed, `schedule:${scenario.id}`);
  const all = instanceIds(scenario.instances);
  const out: ScheduledFault[] = [];
  let n = 0;
  for (const spec of scenario.faults) {
    const atMs = drawTime(spec, rng.next());
    for (const instance of targetsOf(spec, all)) {
      n++;
      const f: ScheduledFault = { id: `f${n}`, kind: spec.kind, instance, atMs, params: { ...spec.params } };
      if (spec.link !== undefined) f.link = spec.link;
      out.push(f);
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function drawTime(spec: FaultSpec, u: number): number {
  if (typeof spec.at === 'number') return spec.at;
  return Math.round(spec.at.minMs + u * (spec.at.maxMs - spec.at.minMs));
}

function targetsOf(spec: FaultSpec, all: string[]): string[] {
  const which = spec.instance ?? 'all';
  return which === 'all' ? all : [which];
}
