import { ConfigError } from '../core/errors.ts';
import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface WsCloseParams {
  stream: 'market' | 'user';
  /** WebSocket close code: 1000 normal, 1001 going away (Binance's 24 h disconnect), 1008 policy, 1011 error. */
  code: number;
  reason: string;
}

/**
 * The venue closes the bot's market or user-data connections cleanly, with a close frame and code
 * (maintenance, the 24-hour limit). Unlike a reset, the bot is told; it must reconnect and, for the
 * user stream, re-fetch private state before trading on it.
 */
export const wsClose: FaultKind<WsCloseParams> = {
  name: 'ws-close',
  description: 'Venue closes the bot’s market or user WebSocket connections with a close code',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('ws-close', raw, ['stream', 'code', 'reason']);
    if (raw.stream !== 'market' && raw.stream !== 'user') throw new ConfigError('fault ws-close: stream must be market or user');
    const code = raw.code ?? 1001;
    if (
      typeof code !== 'number' ||
      !Number.isInteger(code) ||
      !(code === 1000 || (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999))
    ) {
      throw new ConfigError('fault ws-close: code must be a close code a server may send (1000-1014 except 1004-1006, or 3000-4999)');
    }
    const reason = raw.reason ?? 'going away';
    if (typeof reason !== 'string' || Buffer.byteLength(reason) > 123) throw new ConfigError('fault ws-close: reason must be a string of at most 123 bytes');
    return { stream: raw.stream, code, reason };
  },
  async inject(ctx, target, p) {
    const closed = ctx.venue.closeConnections(target.instance, p.stream, p.code, p.reason);
    ctx.recorder.record('fault', 'ws.closed', { stream: p.stream, code: p.code, connections: closed, by: target.occurrence }, target.instance);
    return { heal: async () => {} };
  },
};
