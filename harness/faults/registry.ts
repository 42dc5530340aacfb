import { ConfigError } from '../core/errors.ts';
import type { FaultSpec } from '../core/scenario.ts';
import type { FaultKind } from './types.ts';
import { wsDisconnect } from './ws-disconnect.ts';

const kinds = new Map<string, FaultKind>();

export function registerFault(kind: FaultKind): void {
  if (kinds.has(kind.name)) throw new Error(`fault kind ${kind.name} registered twice`);
  kinds.set(kind.name, kind as FaultKind);
}

registerFault(wsDisconnect as unknown as FaultKind);

export function faultKind(name: string): FaultKind {
  const k = kinds.get(name);
  if (!k) throw new ConfigError(`unknown fault kind "${name}"`, `known kinds: ${[...kinds.keys()].join(', ')}`);
  return k;
}

export function faultKinds(): FaultKind[] {
  return [...kinds.values()];
}

/** Checks a scenario's fault specs against the registry before anything starts. */
export function validateFaultSpecs(scenarioId: string, specs: FaultSpec[]): void {
  for (const [i, spec] of specs.entries()) {
    const kind = faultKind(spec.kind);
    if (kind.links.length > 0) {
      if (spec.link === undefined) throw new ConfigError(`scenario ${scenarioId}: faults[${i}] (${spec.kind}) needs a link: ${kind.links.join(', ')}`);
      if (!kind.links.includes(spec.link as never))
        throw new ConfigError(`scenario ${scenarioId}: faults[${i}] (${spec.kind}) cannot act on link "${spec.link}" (allowed: ${kind.links.join(', ')})`);
    }
    try {
      kind.parse(spec.params);
    } catch (err) {
      throw new ConfigError(`scenario ${scenarioId}: faults[${i}]: ${(err as Error).message}`);
    }
  }
}
