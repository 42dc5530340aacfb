import { sleep } from '../core/abort.ts';
import type { TriggerEvent } from '../core/scenario.ts';
import type { ScheduledFault } from '../core/schedule.ts';
import { faultKind } from '../faults/registry.ts';
import type { ActiveFault, FaultContext } from '../faults/types.ts';
import type { HistoryEvent } from '../history/types.ts';
import type { LinkName } from '../runtimes/types.ts';

/** Which recorded events count as each trigger event. */
export function matchesTrigger(event: TriggerEvent, e: HistoryEvent): boolean {
  if (event === 'probe.halt') return e.src === 'target' && e.type === 'probe' && (e.data as { probe?: unknown }).probe === 'halt';
  if (e.src !== 'venue') return false;
  const status = (e.data as { status?: string }).status;
  switch (event) {
    case 'order.accepted':
      return e.type === 'order.new';
    case 'order.rejected':
      return e.type === 'order.reject';
    case 'order.cancelled':
      return e.type === 'order.cancel';
    case 'order.filled':
      return e.type === 'order.fill' && status === 'FILLED';
    case 'fill':
      return e.type === 'order.fill';
    case 'fill.partial':
      return e.type === 'order.fill' && status === 'PARTIALLY_FILLED';
    case 'listenKey.created':
      return e.type === 'listenKey.create';
    case 'connection.opened':
      return e.type === 'ws.open';
    case 'connection.closed':
      return e.type === 'ws.close';
    default:
      return false;
  }
}

type Subscribe = (fn: (e: HistoryEvent) => void) => () => void;

/**
 * Fires a schedule: timed faults at t0 + atMs, triggered ones when the n-th matching venue event
 * of their instance is recorded (plus delayMs). Each is recorded as `fault.start` once in effect
 * and `fault.end` when healed (after durationMs, at once for instant kinds, or at teardown).
 * healAll() heals whatever is still active and is safe to call twice.
 */
export class FaultDriver {
  readonly #ctx: FaultContext;
  readonly #schedule: readonly ScheduledFault[];
  readonly #subscribe: Subscribe;
  readonly #active = new Map<string, { fault: ScheduledFault; active: ActiveFault }>();

  constructor(schedule: readonly ScheduledFault[], ctx: FaultContext, subscribe: Subscribe) {
    this.#schedule = schedule;
    this.#ctx = ctx;
    this.#subscribe = subscribe;
  }

  /** Runs the whole schedule; resolves when every fault has fired and healed (triggers that never fire stay pending until abort). */
  async run(t0: number, signal: AbortSignal): Promise<void> {
    await Promise.all(this.#schedule.map((f) => this.#runOne(f, t0, signal)));
  }

  #whenTriggered(f: ScheduledFault, signal: AbortSignal): Promise<HistoryEvent> {
    const trigger = f.trigger as NonNullable<ScheduledFault['trigger']>;
    return new Promise((resolve, reject) => {
      let seen = 0;
      const stop = this.#subscribe((e) => {
        if (e.instance !== f.instance || !matchesTrigger(trigger.event, e)) return;
        seen++;
        if (seen === trigger.nth) {
          stop();
          signal.removeEventListener('abort', onAbort);
          resolve(e);
        }
      });
      const onAbort = () => {
        stop();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async #runOne(f: ScheduledFault, t0: number, signal: AbortSignal): Promise<void> {
    const { recorder } = this.#ctx;
    let cause: number | undefined;
    if (f.trigger) {
      cause = (await this.#whenTriggered(f, signal)).seq;
      if (f.trigger.delayMs > 0) await sleep(f.trigger.delayMs, signal);
    } else {
      // Node timers run on a millisecond loop clock and may fire a fraction early even when rounded
      // up: wait again until the scheduled time has really come (lateMs is never negative).
      const due = t0 + (f.atMs ?? 0);
      for (let left = due - performance.now(); left > 0; left = due - performance.now()) await sleep(Math.ceil(left), signal);
    }
    const kind = faultKind(f.kind);
    const params = kind.parse(f.params) as { durationMs?: number };
    const target = { instance: f.instance, occurrence: f.id, ...(f.link ? { link: f.link as LinkName } : {}) };
    const data = {
      id: f.id,
      kind: f.kind,
      ...(f.link ? { link: f.link } : {}),
      impairs: kind.impairs?.(target) ?? [],
      params: f.params,
      ...(f.atMs !== undefined ? { scheduledAtMs: f.atMs, lateMs: Math.round((performance.now() - t0 - f.atMs) * 1000) / 1000 } : {}),
      ...(cause !== undefined ? { triggeredBy: cause } : {}),
    };
    let active: ActiveFault;
    try {
      active = await kind.inject(this.#ctx, target, params);
    } catch (err) {
      recorder.record('fault', 'fault.error', { ...data, phase: 'inject', error: String(err) }, f.instance);
      throw err;
    }
    this.#active.set(f.id, { fault: f, active });
    recorder.record('fault', 'fault.start', data, f.instance);
    if (kind.instant) {
      await this.#heal(f.id, 'instant');
    } else if (params.durationMs !== undefined) {
      await sleep(params.durationMs, signal);
      await this.#heal(f.id, 'schedule');
    }
  }

  async #heal(id: string, by: 'schedule' | 'instant' | 'teardown'): Promise<void> {
    const entry = this.#active.get(id);
    if (!entry) return;
    this.#active.delete(id);
    const f = entry.fault;
    const target = { instance: f.instance, occurrence: f.id, ...(f.link ? { link: f.link as LinkName } : {}) };
    const impairs = faultKind(f.kind).impairs?.(target) ?? [];
    const data = { id: f.id, kind: f.kind, ...(f.link ? { link: f.link } : {}), impairs, params: f.params, healedBy: by };
    try {
      await entry.active.heal();
      this.#ctx.recorder.record('fault', 'fault.end', data, f.instance);
    } catch (err) {
      this.#ctx.recorder.record('fault', 'fault.error', { ...data, phase: 'heal', error: String(err) }, f.instance);
      throw err;
    }
  }

  async healAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const id of [...this.#active.keys()]) {
      try {
        await this.#heal(id, 'teardown');
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} fault(s) failed to heal`);
  }

  get activeCount(): number {
    return this.#active.size;
  }
}
