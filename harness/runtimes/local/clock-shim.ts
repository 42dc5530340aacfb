import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';

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
