import { msParam } from './params.ts';
import { toxicFault } from './toxic-fault.ts';

/**
 * Hard reset: every connection on the link is reset (TCP RST, "connection reset by peer") as
 * soon as it carries data, and so is every reconnect, until heal (Toxiproxy `reset_peer`).
 */
export const linkReset = toxicFault<{ durationMs: number }>({
  name: 'link-reset',
  description: 'TCP reset of every connection on the link (and of reconnects) for durationMs',
  links: ['market-ws', 'user-ws', 'rest', 'db'],
  cuts: true,
  keys: ['durationMs'],
  parse: (raw) => ({ durationMs: msParam('link-reset', raw, 'durationMs', { min: 1 }) }),
  toxic: () => ({ type: 'reset_peer', stream: 'downstream', attributes: { timeout: 0 } }),
});
