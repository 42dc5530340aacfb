/**
 * ccxt (npm) `binanceusdm` (pro) pointed at a venue listener, for the conformance tests.
 *
 * Every URL ccxt could use (urls.api, urls.test, urls.demo; REST and WebSocket) is rewritten to
 * the venue's loopback origin, so nothing can leave the machine even if ccxt calls an endpoint we
 * did not expect (sapi, dapi, papi, eapi all land on the venue and get its 404). Options keep
 * ccxt on USD-M linear markets only and stop it fetching currencies or margin pairs. A guard on
 * the HTTP path refuses any non-loopback URL outright and keeps the list of every request made.
 */
import ccxt from 'ccxt';

export interface CcxtVenue {
  exchange: InstanceType<typeof ccxt.pro.binanceusdm>;
  /** `METHOD path` of every REST request ccxt made, in order. */
  requests: string[];
}

const LOOPBACK = /^(https?|wss?):\/\/127\.0\.0\.1:\d+(\/|$)/;

/** Rewrites every absolute http(s)/ws(s) URL in a (nested) urls object to the venue origin. */
function rewrite(node: unknown, httpOrigin: string, wsOrigin: string): unknown {
  if (typeof node === 'string') {
    const m = /^(https?|wss?):\/\/[^/]+(.*)$/.exec(node);
    if (!m) return node;
    const scheme = m[1] as string;
    return (scheme.startsWith('http') ? httpOrigin : wsOrigin) + (m[2] ?? '');
  }
  if (Array.isArray(node)) return node.map((n) => rewrite(n, httpOrigin, wsOrigin));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = rewrite(v, httpOrigin, wsOrigin);
    return out;
  }
  return node;
}

/** Every string URL under a urls object; the tests assert all of them are loopback. */
export function allUrls(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string' && /^(https?|wss?):\/\//.test(node)) out.push(node);
  else if (typeof node === 'object' && node !== null) for (const v of Object.values(node)) allUrls(v, out);
  return out;
}

export async function ccxtForVenue(port: number, apiKey: string, secret: string): Promise<CcxtVenue> {
  const httpOrigin = `http://127.0.0.1:${port}`;
  const wsOrigin = `ws://127.0.0.1:${port}`;
  const base = new ccxt.pro.binanceusdm();
  const urls = base.urls as Record<string, unknown>;
  const exchange = new ccxt.pro.binanceusdm({
    apiKey,
    secret,
    enableRateLimit: false,
    timeout: 5000,
    urls: {
      api: rewrite(urls.api, httpOrigin, wsOrigin),
      test: rewrite(urls.test, httpOrigin, wsOrigin),
      demo: rewrite(urls.demo, httpOrigin, wsOrigin),
    },
    options: {
      // USD-M linear markets only: no spot, coin-m or option exchangeInfo.
      fetchMarkets: { types: ['linear'] },
      // No sapi calls for currencies or margin pairs.
      fetchCurrencies: false,
      fetchMargins: false,
      adjustForTimeDifference: false,
    },
  });
  // ccxt refuses plain ws:// URLs until its http agent is loaded.
  await exchange.loadHttpProxyAgent();
  const requests: string[] = [];
  const fetchRaw = exchange.fetch.bind(exchange);
  exchange.fetch = (url: string, method = 'GET', headers: unknown = undefined, body: unknown = undefined) => {
    if (!LOOPBACK.test(url)) throw new Error(`ccxt tried a non-loopback URL: ${url}`);
    requests.push(`${method} ${new URL(url).pathname}`);
    return fetchRaw(url, method, headers, body);
  };
  return { exchange, requests };
}
