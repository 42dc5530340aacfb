import { ConfigError } from '../core/errors.ts';
import { msParam } from './params.ts';
import { toxicFault } from './toxic-fault.ts';

/** Caps venue -> bot throughput at rateKBps (Toxiproxy `bandwidth`), so bursts queue up. */
export const linkBandwidth = toxicFault<{ durationMs: number; rateKBps: number }>({
  name: 'link-bandwidth',
  description: 'Limit venue -> bot throughput to rateKBps for durationMs',
  links: ['market-ws', 'user-ws', 'rest', 'db'],
  cuts: false,
  keys: ['durationMs', 'rateKBps'],
  parse: (raw) => {
    const rate = raw.rateKBps;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1)
      throw new ConfigError(`fault link-bandwidth: rateKBps must be a whole number >= 1, got ${JSON.stringify(rate)}`);
    return { durationMs: msParam('link-bandwidth', raw, 'durationMs', { min: 1 }), rateKBps: rate };
  },
  toxic: (p) => ({ type: 'bandwidth', stream: 'downstream', attributes: { rate: p.rateKBps } }),
});
