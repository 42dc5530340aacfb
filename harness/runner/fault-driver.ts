import { sleep } from '../core/abort.ts';
import type { ScheduledFault } from '../core/schedule.ts';
import { faultKind } from '../faults/registry.ts';
import type { ActiveFault, FaultContext } from '../faults/types.ts';
import type { LinkName } from '../runtimes/types.ts';

/**
 * Fires a schedule against the clock: each fault is injected at t0 + atMs, recorded as
 * `fault.start` once in effect, healed after its durationMs and recorded as `fault.end`.
 * healAll() heals whatever is still active (teardown, abort) and is safe to call twice.
 */
export class FaultDriver {
  readonly #ctx: FaultContext;
  readonly #schedule: readonly ScheduledFault[];
  readonly #active = new Map<string, { fault: ScheduledFault; active: ActiveFault }>();

  constructor(schedule: readonly ScheduledFault[], ctx: FaultContext) {
    this.#schedule = schedule;
    this.#ctx = ctx;
  }

  /** Runs the whole schedule; resolves when every fault has fired and healed, rejects on abort. */
  async run(t0: number, signal: AbortSignal): Promise<void> {
    await Promise.all(this.#schedule.map((f) => this.#runOne(f, t0, signal)));
  }

  async #runOne(f: ScheduledFault, t0: number, signal: AbortSignal): Promise<void> {
    const { recorder } = this.#ctx;
    await sleep(Math.max(0, t0 + f.atMs - performance.now()), signal);
    const kind = faultKind(f.kind);
    const params = kind.parse(f.params);
    const data = { id: f.id, kind: f.kind, ...(f.link ? { link: f.link } : {}), params: f.params, scheduledAtMs: f.atMs };
    let active: ActiveFault;
    try {
      active = await kind.inject(this.#ctx, { instance: f.instance, ...(f.link ? { link: f.link as LinkName } : {}) }, params);
    } catch (err) {
      recorder.record('fault', 'fault.error', { ...data, phase: 'inject', error: String(err) }, f.instance);
      throw err;
    }
    this.#active.set(f.id, { fault: f, active });
    recorder.record('fault', 'fault.start', data, f.instance);
    if (params.durationMs !== undefined) {
      await sleep(params.durationMs, signal);
      await this.#heal(f.id, 'schedule');
    }
  }

  async #heal(id: string, by: 'schedule' | 'teardown'): Promise<void> {
    const entry = this.#active.get(id);
    if (!entry) return;
    this.#active.delete(id);
    const f = entry.fault;
    const data = { id: f.id, kind: f.kind, ...(f.link ? { link: f.link } : {}), params: f.params, healedBy: by };
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
