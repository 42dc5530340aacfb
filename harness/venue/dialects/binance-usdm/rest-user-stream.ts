/** POST/PUT/DELETE /fapi/v1/listenKey: USER_STREAM security (API key, no signature). */

import type { RequestHandler } from 'msw';
import { accountOf, type DialectContext, endpoint } from './endpoint.ts';
import { errors } from './errors.ts';
import { jsonReply } from './reply.ts';
import { route } from './routes.ts';

export function userStreamHandlers(ctx: DialectContext): RequestHandler[] {
  const spec = { security: 'USER_STREAM', weight: 1 } as const;
  return [
    route.post(
      '*/fapi/v1/listenKey',
      endpoint(ctx, spec, (call) => {
        const { instance } = accountOf(call);
        const { key, reused } = ctx.listenKeys.create(instance, ctx.engine.now());
        ctx.recorder.record('venue', 'listenKey.create', { listenKey: key, reused }, instance);
        ctx.events.emit('listenKey.created', { instance, listenKey: key, reused });
        return jsonReply({ listenKey: key });
      }),
    ),
    route.put(
      '*/fapi/v1/listenKey',
      endpoint(ctx, spec, (call) => {
        const { instance } = accountOf(call);
        const key = ctx.listenKeys.keepalive(instance, ctx.engine.now());
        if (key === undefined) throw errors.listenKeyMissing();
        ctx.recorder.record('venue', 'listenKey.keepalive', { listenKey: key }, instance);
        return jsonReply({ listenKey: key });
      }),
    ),
    route.delete(
      '*/fapi/v1/listenKey',
      endpoint(ctx, spec, (call) => {
        const { instance } = accountOf(call);
        const key = ctx.listenKeys.remove(instance);
        if (key !== undefined) {
          ctx.recorder.record('venue', 'listenKey.delete', { listenKey: key }, instance);
          // "Doing a DELETE on a listenKey will close the stream."
          ctx.closeUserStreams(key);
        }
        return jsonReply({});
      }),
    ),
  ];
}
