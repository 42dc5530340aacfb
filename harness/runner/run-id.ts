import { randomBytes } from 'node:crypto';

/** Sortable, unique, filesystem-safe: 20261122-041800-3fa9. */
export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** A seed users can retype: 1..2^31-1. */
export function newSeed(): number {
  return (randomBytes(4).readUInt32BE(0) % 0x7fff_ffff) + 1;
}
