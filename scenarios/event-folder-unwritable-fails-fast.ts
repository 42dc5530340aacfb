import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The folder the bot writes its events and state to cannot be written: STATE_DIR names a plain file
 * (a folder that cannot be created, whoever runs the bot, root included). An event sink that
 * silently returns when it cannot create its folder (000_2ae31cbfe79758d1.txt#E-M9) runs on and
 * drops every event, alert and journal row unseen; a hardened bot refuses to start, naming the
 * folder.
 */
export default defineScenario({
  id: 'event-folder-unwritable-fails-fast',
  title: 'Started with an event folder it cannot write',
  description:
    'Every instance is started with STATE_DIR={STATE_DIR}/events, where events is a plain file written before the start. Passes when it ' +
    'exits non-zero within 5 s naming STATE_DIR and places no order; fails when it runs on, dropping its events.',
  findings: ['000_2ae31cbfe79758d1.txt#E-M9'],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 5000,
  startup: { env: { STATE_DIR: '{STATE_DIR}/events' }, files: { events: { content: 'not a folder\n' } }, decideMs: 8000 },
  faults: [],
  checks: [{ name: 'config-fails-fast', options: { withinMs: 5000 } }],
});
