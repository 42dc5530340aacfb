import { rngFor } from './rng.ts';
import type { FaultSpec, Scenario, TriggerSpec } from './scenario.ts';

/** One planned fault occurrence: what fires, on which instance and link, and when (a time or a trigger). */
export interface ScheduledFault {
  id: string;
  kind: string;
  instance: string;
  link?: string;
  /** Scenario time it fires at; absent for triggered faults. */
  atMs?: number;
  trigger?: Required<TriggerSpec>;
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
    // Drawn for every spec, timed or not, so adding a triggered fault never shifts later times.
    const atMs = drawTime(spec, rng.next());
    for (const instance of targetsOf(spec, all)) {
      n++;
      const f: ScheduledFault = { id: `f${n}`, kind: spec.kind, instance, params: { ...spec.params } };
      if (spec.link !== undefined) f.link = spec.link;
      if (spec.on) f.trigger = { event: spec.on.event, nth: spec.on.nth ?? 1, delayMs: spec.on.delayMs ?? 0 };
      else f.atMs = atMs;
      out.push(f);
    }
  }
  // Timed faults in time order, triggered ones after them, ties by id: a stable, total order.
  const key = (f: ScheduledFault) => f.atMs ?? Number.POSITIVE_INFINITY;
  return out.sort((a, b) => key(a) - key(b) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function drawTime(spec: FaultSpec, u: number): number {
  if (spec.at === undefined) return 0;
  if (typeof spec.at === 'number') return spec.at;
  return Math.round(spec.at.minMs + u * (spec.at.maxMs - spec.at.minMs));
}

function targetsOf(spec: FaultSpec, all: string[]): string[] {
  const which = spec.instance ?? 'all';
  return which === 'all' ? all : [which];
}
