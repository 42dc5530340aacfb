import { ConfigError } from '../core/errors.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ClockJumpParams {
  /** Step of the bot's wall clock, forward (> 0) or back (< 0). */
  offsetMs: number;
  /** How long the step lasts before the clock is stepped back to real time; absent = rest of the run. */
  durationMs?: number;
}

/**
 * Steps one instance's wall clock (CLOCK_REALTIME, through its libfaketime shim) while it runs,
 * as an NTP step or a VM resume does; its monotonic clock is left alone, as the kernel would.
 * A bot that signs with a skewed timestamp meets -1021; one that "fixes" it by resetting its
 * offset to zero keeps trading on a wrong clock (the clock-skew findings of the audits).
 */
export const clockJump: FaultKind<ClockJumpParams> = {
  name: 'clock-jump',
  description: 'Step the bot’s wall clock by offsetMs (forward or back), for durationMs or the rest of the run',
  links: [],
  needsClockShim: true,
  parse(raw) {
    onlyKeys('clock-jump', raw, ['offsetMs', 'durationMs']);
    const off = raw.offsetMs;
    if (typeof off !== 'number' || !Number.isFinite(off) || Math.abs(off) > 10 * 365 * 86_400_000) {
      throw new ConfigError(`fault clock-jump: offsetMs must be a number of ms (negative steps back), got ${JSON.stringify(off)}`);
    }
    return raw.durationMs === undefined ? { offsetMs: off } : { offsetMs: off, durationMs: msParam('clock-jump', raw, 'durationMs', { min: 1 }) };
  },
  async inject(ctx, target, params) {
    const clock = ctx.clock(target.instance);
    const before = clock.offsetMs;
    clock.set(before + params.offsetMs);
    ctx.recorder.record('fault', 'clock.offset', { offsetMs: clock.offsetMs, by: target.occurrence }, target.instance);
    return healOnce(async () => {
      clock.set(before);
      ctx.recorder.record('fault', 'clock.offset', { offsetMs: before, by: target.occurrence }, target.instance);
    });
  },
};
