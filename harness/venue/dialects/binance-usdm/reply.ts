/**
 * The dialect's answers: status, headers and a JSON text, built once. The direct path writes them
 * to the socket as they are; msw (when a fault handler is installed) gets a Fetch Response made
 * from them. Building a WHATWG Response per request was a tenth of the venue's CPU per order.
 */
export interface VenueReply {
  readonly status: number;
  /** Header names as sent; values already strings. */
  readonly headers: Record<string, string>;
  /** The body as sent ('' for none). */
  readonly body: string;
}

/** JSON body with Binance's content type (what HttpResponse.json sent). */
export function jsonReply(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): VenueReply {
  return { status: init.status ?? 200, headers: { 'Content-Type': 'application/json', ...init.headers }, body: JSON.stringify(body) };
}

/** No body at all (Binance's bare 404). */
export function emptyReply(status: number): VenueReply {
  return { status, headers: {}, body: '' };
}

export function toResponse(r: VenueReply): Response {
  return new Response(r.body === '' ? null : r.body, { status: r.status, headers: r.headers });
}
