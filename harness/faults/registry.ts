import { ConfigError } from '../core/errors.ts';
import type { FaultSpec } from '../core/scenario.ts';
import { accountBalanceGlitch } from './account-balance-glitch.ts';
import { cancelFail } from './cancel-fail.ts';
import { clockDrift } from './clock-drift.ts';
import { clockJump } from './clock-jump.ts';
import { controlApiHalt } from './control-api-halt.ts';
import { controlApiProbe } from './control-api-probe.ts';
import { depthGap } from './depth-gap.ts';
import { fileLockAge } from './file-lock-age.ts';
import { foreignOrder } from './foreign-order.ts';
import { healthProbe } from './health-probe.ts';
import { inputFileOversized } from './input-file-oversized.ts';
import { killSwitchFile } from './kill-switch-file.ts';
import { klinesDegenerate } from './klines-degenerate.ts';
import { linkBandwidth } from './link-bandwidth.ts';
import { linkLatency } from './link-latency.ts';
import { linkReset } from './link-reset.ts';
import { linkSlicer } from './link-slicer.ts';
import { linkStall } from './link-stall.ts';
import { listenKeyExpire } from './listen-key-expire.ts';
import { marginCallFault } from './margin-call.ts';
import { marketDataCorrupt } from './market-data-corrupt.ts';
import { orderReject } from './order-reject.ts';
import { outputPipeClose } from './output-pipe-close.ts';
import { partialFills } from './partial-fills.ts';
import { pgLock } from './pg-lock.ts';
import { predecessorOrders } from './predecessor-orders.ts';
import { processKill } from './process-kill.ts';
import { processPause } from './process-pause.ts';
import { processSignal } from './process-signal.ts';
import { redisLock } from './redis-lock.ts';
import { redisPause } from './redis-pause.ts';
import { restAckLost } from './rest-ack-lost.ts';
import { restError } from './rest-error.ts';
import { restRateLimit } from './rest-rate-limit.ts';
import { restSlow } from './rest-slow.ts';
import { restUnknownAfterExecute } from './rest-unknown-after-execute.ts';
import { restVisibilityLag } from './rest-visibility-lag.ts';
import { sqliteIntegrity } from './sqlite-integrity.ts';
import { sqliteLock } from './sqlite-lock.ts';
import { stateFileCorrupt } from './state-file-corrupt.ts';
import { stateFileUnwritable } from './state-file-unwritable.ts';
import { stateFilesComplete } from './state-files-complete.ts';
import { targetOutputScan } from './target-output-scan.ts';
import type { FaultKind } from './types.ts';
import { userEventsTamper } from './user-events-tamper.ts';
import { venueClockSkew } from './venue-clock-skew.ts';
import { venueMarketPause } from './venue-market-pause.ts';
import { wsClose } from './ws-close.ts';
import { wsDisconnect } from './ws-disconnect.ts';

const kinds = new Map<string, FaultKind>();

/** Adds a fault kind under its name; names are unique. */
export function registerFault<P extends object>(kind: FaultKind<P>): void {
  if (kinds.has(kind.name)) throw new Error(`fault kind ${kind.name} registered twice`);
  kinds.set(kind.name, kind as unknown as FaultKind);
}

for (const k of [wsDisconnect, linkStall, linkReset, linkLatency, linkSlicer, linkBandwidth] as FaultKind<object>[]) registerFault(k);
for (const k of [clockJump, clockDrift, venueClockSkew] as FaultKind<object>[]) registerFault(k);
for (const k of [wsClose, depthGap, venueMarketPause, listenKeyExpire, userEventsTamper, partialFills] as FaultKind<object>[]) registerFault(k);
registerFault(marketDataCorrupt);
for (const k of [restError, restSlow, restRateLimit, restVisibilityLag, restAckLost, restUnknownAfterExecute] as FaultKind<object>[]) registerFault(k);
for (const k of [processPause, processKill, redisLock, sqliteLock, pgLock, fileLockAge] as FaultKind<object>[]) registerFault(k);
registerFault(processSignal);
registerFault(marginCallFault);
registerFault(stateFileUnwritable);
registerFault(outputPipeClose);
registerFault(killSwitchFile);
registerFault(stateFileCorrupt);
registerFault(sqliteIntegrity);
registerFault(stateFilesComplete);
registerFault(klinesDegenerate);
registerFault(controlApiProbe);
registerFault(inputFileOversized);
registerFault(accountBalanceGlitch);
registerFault(controlApiHalt);
registerFault(redisPause);
registerFault(foreignOrder);
registerFault(targetOutputScan);
registerFault(orderReject);
registerFault(cancelFail);
registerFault(predecessorOrders);
registerFault(healthProbe);

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
    } else if (spec.link !== undefined) {
      throw new ConfigError(`scenario ${scenarioId}: faults[${i}] (${spec.kind}) does not act on a link; remove "link"`);
    }
    try {
      kind.parse(spec.params);
    } catch (err) {
      throw new ConfigError(`scenario ${scenarioId}: faults[${i}]: ${(err as Error).message}`);
    }
  }
}
