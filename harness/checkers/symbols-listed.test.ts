import { describe, expect, it } from 'vitest';
import type { Scenario } from '../core/scenario.ts';
import { SyntheticHistory } from '../history/synthetic.ts';
import { runCheck } from './compose.ts';
import { checker } from './registry.ts';
import { symbolsListed } from './symbols-listed.ts';

const ctx = { scenario: { id: 'synthetic' } as Scenario, capabilities: ['rest-orders'], options: {} };
const check = (h: SyntheticHistory) => runCheck(symbolsListed, h.events, ctx);
const req = (h: SyntheticHistory, t: number, method: string, path: string, status = 200, code?: number) =>
  h.at(t).add('venue', 'http.request', { method, path, status, fp: `${t}`, ...(code !== undefined ? { code } : {}) }, 'bot-1');

describe('symbols-listed', () => {
  it('is registered and cites H-PORT-05', () => {
    expect(checker('symbols-listed')).toBe(symbolsListed);
    expect(symbolsListed.findings).toEqual(['004_8a8a9a4995486b8f.txt#H-PORT-05']);
  });

  it('passes requests for listed symbols, other refusals included', () => {
    const h = new SyntheticHistory();
    req(h, 100, 'GET', '/fapi/v2/balance');
    req(h, 200, 'POST', '/fapi/v1/order', 400, -2019);
    const r = check(h);
    expect(r.valid).toBe(true);
    expect(r.stats).toEqual({ requests: 2, invalidSymbol: 0 });
  });

  it('fails a request for a made-up market, naming the symbol when the order reject carries it', () => {
    const h = new SyntheticHistory();
    req(h, 100, 'GET', '/fapi/v2/balance');
    const ticker = req(h, 200, 'GET', '/fapi/v1/ticker/price', 400, -1121);
    const reject = h
      .at(300)
      .add('venue', 'order.reject', { symbol: 'USDTUSDT', side: 'SELL', type: 'MARKET', qty: '0.3', code: -1121, msg: 'Invalid symbol.' }, 'bot-1');
    const order = req(h, 301, 'POST', '/fapi/v1/order', 400, -1121);
    const r = check(h);
    expect(r.valid).toBe(false);
    expect(r.violations.map((v) => v.evidence)).toEqual([[ticker], [order, reject]]);
    expect(r.violations[1]?.message).toMatch(/asked POST \/fapi\/v1\/order for USDTUSDT, a symbol the venue does not list/);
  });

  it('answers unknown without any request', () => {
    expect(check(new SyntheticHistory()).valid).toBe('unknown');
  });
});
