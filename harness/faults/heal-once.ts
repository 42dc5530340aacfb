import type { ActiveFault } from './types.ts';

/** An ActiveFault whose heal runs `undo` once; later and concurrent calls share that one run (heal is idempotent). */
export function healOnce(undo: () => Promise<void> | void): ActiveFault {
  let done: Promise<void> | undefined;
  return {
    heal() {
      done ??= (async () => undo())();
      return done;
    },
  };
}
