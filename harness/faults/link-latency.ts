import { msParam } from './params.ts';
import { toxicFault } from './toxic-fault.ts';

export interface LinkLatencyParams {
  durationMs: number;
  latencyMs: number;
  jitterMs: number;
}

/** Adds latency (± jitter) to everything the venue sends the bot on the link (Toxiproxy `latency`). */
export const linkLatency = toxicFault<LinkLatencyParams>({
  name: 'link-latency',
  description: 'Delay venue -> bot data by latencyMs ± jitterMs for durationMs',
  links: ['market-ws', 'user-ws', 'rest', 'db'],
  cuts: false,
  keys: ['durationMs', 'latencyMs', 'jitterMs'],
  parse: (raw) => ({
    durationMs: msParam('link-latency', raw, 'durationMs', { min: 1 }),
    latencyMs: msParam('link-latency', raw, 'latencyMs', { max: 600_000 }),
    jitterMs: raw.jitterMs === undefined ? 0 : msParam('link-latency', raw, 'jitterMs', { max: 600_000 }),
  }),
  toxic: (p) => ({ type: 'latency', stream: 'downstream', attributes: { latency: p.latencyMs, jitter: p.jitterMs } }),
});
