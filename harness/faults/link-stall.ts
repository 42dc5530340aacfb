import { msParam } from './params.ts';
import { toxicFault } from './toxic-fault.ts';

/**
 * Half-open stall: bytes stop flowing from the venue to the bot but the socket stays open
 * (Toxiproxy `timeout` toxic with timeout 0), the failure a bot cannot see without its own
 * heartbeat or staleness timer. Data sent meanwhile is dropped, as on a dead path.
 */
export const linkStall = toxicFault<{ durationMs: number }>({
  name: 'link-stall',
  description: 'Half-open stall: no bytes reach the bot, the socket stays open, for durationMs',
  links: ['market-ws', 'user-ws', 'rest', 'db'],
  cuts: true,
  keys: ['durationMs'],
  parse: (raw) => ({ durationMs: msParam('link-stall', raw, 'durationMs', { min: 1 }) }),
  toxic: () => ({ type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } }),
});
