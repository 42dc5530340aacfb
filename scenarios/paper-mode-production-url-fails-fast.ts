import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is started with REFBOT_MODE=paper and Binance's production URLs (fapi /
 * fstream.binance.com). A paper run exists to risk nothing; taking the URLs as given
 * (001_0474a2fd1532b929.txt#H1: the paper runner accepted a production venue config and could
 * place real orders) trades on the real exchange. A hardened bot refuses to start, naming the mode
 * and the URL. Runs only behind an egress guard (the containers runtime's sinkhole records the
 * attempt and answers nothing); not applicable elsewhere.
 */
export default defineScenario({
  id: 'paper-mode-production-url-fails-fast',
  title: 'A paper run configured with production URLs',
  description:
    'Every instance is started with REFBOT_MODE=paper, VENUE_REST_URL=https://fapi.binance.com and VENUE_WS_URL / VENUE_USER_WS_URL=wss://fstream.binance.com, ' +
    'behind the egress guard. Passes when no connection attempt leaves the run’s own endpoints and the bot exits non-zero within 5 s naming ' +
    'the mode or the URL, placing no order.',
  findings: ['001_0474a2fd1532b929.txt#H1'],
  suites: ['nightly'],
  requires: ['rest-orders', 'trading-modes', 'egress-guard'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: {
    env: {
      REFBOT_MODE: 'paper',
      VENUE_REST_URL: 'https://fapi.binance.com',
      VENUE_WS_URL: 'wss://fstream.binance.com',
      VENUE_USER_WS_URL: 'wss://fstream.binance.com',
    },
    decideMs: 10_000,
  },
  faults: [],
  checks: [{ name: 'no-production-egress' }, { name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
