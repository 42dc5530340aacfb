/**
 * Per-request facts the HTTP bridge knows and msw handlers need: which listener (instance port)
 * the request arrived on, the peer address, and which account's instance the request is finally
 * attributed to (set by the handler once it has resolved the API key). Carried by
 * AsyncLocalStorage because msw handlers only receive the Fetch Request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestMeta {
  /** Instance whose listener received the request. */
  readonly listener: string;
  readonly remoteIp: string;
  /** Instance to record the request under: the API key's account if known, else the listener's. */
  instance: string;
  /**
   * Set by a fault (e.g. from an onEvent listener while the request executes): the venue does the
   * work but destroys the connection instead of answering, as if the response was lost.
   */
  dropResponse?: boolean;
  /**
   * Set by a fault while the request executes: the venue does the work, then answers with this
   * instead of its own response (e.g. Binance's 503 "Unknown error…": execution status unknown).
   */
  replaceResponse?: { status: number; body: unknown };
  /**
   * Set by a fault while the request executes: the venue answers normally, and a 200 JSON answer's
   * body goes through this first (e.g. klines with null fields), as a flawed upstream would send it.
   */
  transformBody?: (body: unknown) => unknown;
  /** Set by a list endpoint that pages (income, userTrades): what it returned, for `http.request` {page}. */
  page?: ListPage;
  /** Set by the balance endpoints: the USDT equity (balance + unrealized PnL) they answered, for `http.request` {equityUsdt}. */
  equityUsdt?: number;
}

/**
 * One page of a paginated list as the venue answered it: `rows` returned of at most `limit`, and
 * the cursor the request gave (page number, startTime, fromId). rows === limit means there may be
 * more: a reader that wants everything asks for the next page.
 */
export interface ListPage {
  rows: number;
  limit: number;
  page?: number;
  startTime?: number;
  fromId?: number;
}

/** Records the USDT equity a balance endpoint is answering on the request being handled (no-op outside one). */
export function noteEquity(equityUsdt: number): void {
  const meta = requestContext.getStore();
  if (meta) meta.equityUsdt = equityUsdt;
}

/** Records the page a list endpoint is answering on the request being handled (no-op outside one). */
export function noteListPage(page: ListPage): void {
  const meta = requestContext.getStore();
  if (meta) meta.page = page;
}

export const requestContext = new AsyncLocalStorage<RequestMeta>();

export function currentRequest(): RequestMeta {
  const meta = requestContext.getStore();
  if (!meta) throw new Error('venue: handler ran outside a venue request (was getResponse called without requestContext.run?)');
  return meta;
}

/** The request being handled, or undefined outside one (a tick, a timer): for fault listeners. */
export function activeRequest(): RequestMeta | undefined {
  return requestContext.getStore();
}
