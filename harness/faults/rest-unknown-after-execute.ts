import { type AmbiguousParams, parseAmbiguous, spoilOrderResponses } from './ambiguous-outcome.ts';
import type { FaultKind } from './types.ts';

/**
 * The order executes, then the venue answers HTTP 503 "Unknown error, please check your request or
 * try again later." — Binance's documented "execution status UNKNOWN, could have been a success".
 * Treating it as a failure and re-sending duplicates the position.
 */
export const restUnknownAfterExecute: FaultKind<AmbiguousParams> = {
  name: 'rest-unknown-after-execute',
  description: 'Orders execute but are answered 503 "Unknown error" (status unknown), for durationMs',
  links: [],
  parse: (raw) => parseAmbiguous('rest-unknown-after-execute', raw),
  async inject(ctx, target, p) {
    return spoilOrderResponses(ctx, target, p, 'unknown-error', (meta) => {
      meta.replaceResponse = { status: 503, body: { code: -1000, msg: 'Unknown error, please check your request or try again later.' } };
    });
  },
};
