import type { LinkName, ToxicSpec } from '../runtimes/types.ts';
import { healOnce } from './heal-once.ts';
import { onlyKeys } from './params.ts';
import { type FaultKind, type FaultTarget, linkChannel } from './types.ts';

/**
 * Builds a fault kind that holds one Toxiproxy toxic on a link for durationMs. Each toxic-backed
 * kind is its own small file (like Toxiproxy's toxics/) and only says how its params become the
 * toxic's attributes.
 */
export function toxicFault<P extends { durationMs: number }>(def: {
  name: string;
  description: string;
  links: readonly LinkName[];
  keys: readonly string[];
  /** True when the toxic cuts the link's data off (stall, reset) rather than degrading it (latency, slicing). */
  cuts: boolean;
  parse(raw: Record<string, unknown>): P;
  toxic(params: P): Omit<ToxicSpec, 'name'>;
}): FaultKind<P> {
  return {
    name: def.name,
    description: def.description,
    links: def.links,
    ...(def.cuts ? { impairs: (t: FaultTarget) => [linkChannel(t.link ?? (def.links[0] as LinkName))] } : {}),
    parse(raw) {
      onlyKeys(def.name, raw, def.keys);
      return def.parse(raw);
    },
    async inject(ctx, target, params) {
      const link = ctx.link(target.instance, target.link ?? (def.links[0] as LinkName));
      // Unique per occurrence so overlapping faults on one link never collide.
      const name = `faultline-${def.name}-${target.occurrence}`;
      await link.addToxic({ name, ...def.toxic(params) });
      return healOnce(async () => {
        await link.removeToxic(name);
      });
    },
  };
}
