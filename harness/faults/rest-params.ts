import { ConfigError } from '../core/errors.ts';
import { type HttpMethod, METHODS } from './rest-override.ts';

/** method and path of a REST fault: defaults aim at order placement, where outcomes matter most. */
export function endpointParams(
  kind: string,
  raw: Record<string, unknown>,
  defaults: { method: HttpMethod; path: string },
): { method: HttpMethod; path: string } {
  const method = (raw.method ?? defaults.method) as HttpMethod;
  if (!METHODS.includes(method)) throw new ConfigError(`fault ${kind}: method must be one of ${METHODS.join(', ')}`);
  const path = raw.path ?? defaults.path;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new ConfigError(`fault ${kind}: path must start with "/", e.g. /fapi/v1/order`);
  return { method, path };
}
