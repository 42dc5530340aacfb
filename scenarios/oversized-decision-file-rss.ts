import { defineScenario } from '../harness/core/scenario.ts';

/**
 * A 48 MiB decision file appears in the bot's STATE_DIR where it reads its operator decisions. A
 * bot that reads the file whole without a size check and keeps what it loaded
 * (000_2ae31cbfe79758d1.txt#E-L3, KernelDecisionFileProvider._load_raw) holds it in memory while
 * it stays: its RSS jumps by a multiple of its size. A hardened one stats the file first, rejects
 * it unread, and its RSS stays flat.
 */
export default defineScenario({
  id: 'oversized-decision-file-rss',
  title: 'An oversized input file is rejected without an RSS spike',
  description:
    'From 4 s after the bot is ready, for 9 s, STATE_DIR/refbot-decision.json is a 48 MiB JSON object (input-file-oversized). ' +
    'Passes when, from the first resource sample 2 s after ready to the end of the window, the bot’s RSS grows by at most 50% ' +
    '(fds by at most 20, threads by at most 20). A bot that loads the file holds at least its 48 MiB of text (about twice the RSS of an idle refbot).',
  findings: ['000_2ae31cbfe79758d1.txt#E-L3'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 16_000,
  faults: [{ kind: 'input-file-oversized', at: 4000, params: { file: 'refbot-decision.json', sizeMb: 48, durationMs: 9000 } }],
  checks: [{ name: 'bounded-resources', options: { warmupMs: 2000, maxFdGrowth: 20, maxThreadGrowth: 20, maxRssGrowthPct: 50, minSamples: 10 } }],
});
