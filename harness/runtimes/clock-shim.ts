import { renameSync, writeFileSync } from 'node:fs';
import type { ClockControl } from '../faults/types.ts';

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
 * `libfaketime` is the library's path where the target runs (the host, or inside its image).
 *
 * Known limit (libfaketime 0.9.10, wolfcw/libfaketime#426): with the monotonic clock excluded, an
 * absolute clock_nanosleep on CLOCK_MONOTONIC fails with EINVAL, which is what Python >= 3.11's
 * blocking time.sleep() uses. asyncio, Node, Go and JVM timers are unaffected. Point
 * FAULTLINE_LIBFAKETIME at a patched build to lift it.
 */
export function createClockShim(file: string, libfaketime: string): { env: Record<string, string>; control: ClockControl } {
  let offset = 0;
  const write = (ms: number) => {
    writeFileSync(`${file}.tmp`, render(ms));
    renameSync(`${file}.tmp`, file);
  };
  write(0);
  return {
    env: {
      LD_PRELOAD: libfaketime,
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
