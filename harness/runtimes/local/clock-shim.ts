import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import type { ClockControl } from '../../faults/types.ts';

const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

export function findLibfaketime(): string {
  const explicit = process.env.FAULTLINE_LIBFAKETIME;
  if (explicit) {
    if (!existsSync(explicit)) throw new ConfigError(`FAULTLINE_LIBFAKETIME=${explicit} does not exist`);
    return explicit;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new ConfigError('libfaketime not found; clock faults need it', 'run `npm run provision` (installs the Debian package libfaketime)');
  return found;
}

function render(offsetMs: number): string {
  // libfaketime reads "+S.sss" / "-S.sss" as an offset in seconds from real time.
  const s = (Math.abs(offsetMs) / 1000).toFixed(3);
  return `${offsetMs < 0 ? '-' : '+'}${s}\n`;
}

/**
 * A per-instance wall-clock shim: libfaketime preloaded with a timestamp file the harness
 * rewrites (atomically: write then rename, since the library re-reads it on every clock call with
 * FAKETIME_NO_CACHE). Only CLOCK_REALTIME moves: the monotonic clock is left real, as after an
 * NTP step, so the bot's timers and event loop are not disturbed.
 *
 * Known limit (libfaketime 0.9.10, wolfcw/libfaketime#426): with the monotonic clock excluded, an
 * absolute clock_nanosleep on CLOCK_MONOTONIC fails with EINVAL, which is what Python >= 3.11's
 * blocking time.sleep() uses. asyncio, Node, Go and JVM timers are unaffected. Point
 * FAULTLINE_LIBFAKETIME at a patched build to lift it.
 */
export function createClockShim(file: string): { env: Record<string, string>; control: ClockControl } {
  let offset = 0;
  const write = (ms: number) => {
    writeFileSync(`${file}.tmp`, render(ms));
    renameSync(`${file}.tmp`, file);
  };
  write(0);
  return {
    env: {
      LD_PRELOAD: findLibfaketime(),
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    control: {
      get offsetMs() {
        return offset;
      },
      set(ms: number) {
        offset = Math.round(ms);
        write(offset);
      },
    },
  };
}
