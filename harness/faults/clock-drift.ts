import { ConfigError } from '../core/errors.ts';
import { healOnce } from './heal-once.ts';
import { msParam, onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface ClockDriftParams {
  /** How fast the bot's wall clock runs away from real time: ms gained (or lost, < 0) per second. */
  msPerSecond: number;
  durationMs: number;
  /** How often the shim's offset is advanced and recorded. */
  stepMs?: number;
}

/**
 * Slow drift: the instance's wall clock gains msPerSecond every second (stepped every stepMs
 * through the shim, each step recorded as `clock.offset`), then is stepped back to real time at
 * heal, as a late NTP correction would.
 */
export const clockDrift: FaultKind<ClockDriftParams> = {
  name: 'clock-drift',
  description: 'Let the bot’s wall clock drift by msPerSecond for durationMs, then step it back',
  links: [],
  needsClockShim: true,
  parse(raw) {
    onlyKeys('clock-drift', raw, ['msPerSecond', 'durationMs', 'stepMs']);
    const rate = raw.msPerSecond;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate === 0 || Math.abs(rate) > 1000) {
      throw new ConfigError(`fault clock-drift: msPerSecond must be a non-zero number in [-1000, 1000], got ${JSON.stringify(rate)}`);
    }
    return {
      msPerSecond: rate,
      durationMs: msParam('clock-drift', raw, 'durationMs', { min: 1 }),
      ...(raw.stepMs === undefined ? {} : { stepMs: msParam('clock-drift', raw, 'stepMs', { min: 10 }) }),
    };
  },
  async inject(ctx, target, params) {
    const clock = ctx.clock(target.instance);
    const base = clock.offsetMs;
    const started = performance.now();
    const step = () => {
      const offset = Math.round(base + ((performance.now() - started) / 1000) * params.msPerSecond);
      clock.set(offset);
      ctx.recorder.record('fault', 'clock.offset', { offsetMs: offset, by: target.occurrence }, target.instance);
    };
    const timer = setInterval(step, params.stepMs ?? 250);
    return healOnce(async () => {
      clearInterval(timer);
      clock.set(base);
      ctx.recorder.record('fault', 'clock.offset', { offsetMs: base, by: target.occurrence }, target.instance);
    });
  },
};
