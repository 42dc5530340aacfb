import { type AmbiguousParams, parseAmbiguous, spoilOrderResponses } from './ambiguous-outcome.ts';
import type { FaultKind } from './types.ts';

/**
 * Lost ack: the order executes on the venue but its response never arrives (the connection dies).
 * A bot that retries blindly trades twice; one that looks the order up by clientOrderId does not.
 */
export const restAckLost: FaultKind<AmbiguousParams> = {
  name: 'rest-ack-lost',
  description: 'Orders execute but their responses are lost (connection dropped), for durationMs',
  links: [],
  parse: (raw) => parseAmbiguous('rest-ack-lost', raw),
  async inject(ctx, target, p) {
    return spoilOrderResponses(ctx, target, p, 'ack-lost', (meta) => {
      meta.dropResponse = true;
    });
  },
};
