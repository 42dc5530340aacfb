import { renameSync, writeFileSync } from 'node:fs';
import type { ClockControl } from '../../faults/types.ts';
import { CONTAINER_LIBFAKETIME } from './images.ts';

/**
 * The clock shim inside a target container: the image's own libfaketime (the target's Dockerfile
 * installs it) is preloaded, and reads its offset from a timestamp file in the instance folder,
 * which is bind-mounted into the container at the same path. The harness rewrites the file on the
 * host (write then rename, so the library never reads half a file); FAKETIME_NO_CACHE makes every
 * clock call see the change. Same semantics as the local shim: only the wall clock moves.
 */
export function createContainerClockShim(file: string): { env: Record<string, string>; control: ClockControl } {
  let offset = 0;
  const write = (ms: number) => {
    const s = (Math.abs(ms) / 1000).toFixed(3);
    writeFileSync(`${file}.tmp`, `${ms < 0 ? '-' : '+'}${s}\n`);
    renameSync(`${file}.tmp`, file);
  };
  write(0);
  return {
    env: { LD_PRELOAD: CONTAINER_LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: file, FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
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
