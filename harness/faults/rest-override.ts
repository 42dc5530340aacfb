import type { HttpResponseResolver } from 'msw';
import { http } from 'msw';
import { currentRequest } from '../venue/index.ts';
import type { ActiveFault, FaultContext, FaultTarget } from './types.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | '*';
export const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', '*'];

/**
 * Layers one msw handler over the venue for a REST fault. It acts only on requests that reach the
 * fault's instance's listener, and goes inert at heal instead of being removed, so overlapping
 * faults never undo each other. A resolver that returns nothing lets the request through.
 */
export function overrideRest(ctx: FaultContext, target: FaultTarget, method: HttpMethod, path: string, resolver: HttpResponseResolver): ActiveFault {
  let active = true;
  const guarded: HttpResponseResolver = (info) => {
    if (!active || currentRequest().instance !== target.instance) return undefined;
    return resolver(info);
  };
  const pattern = `*${path}`;
  const handler = method === '*' ? http.all(pattern, guarded) : http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](pattern, guarded);
  ctx.venue.use(handler);
  return {
    async heal() {
      active = false;
    },
  };
}
