import { defineScenario } from '../harness/core/scenario.ts';

/**
 * The bot is asked to stop (SIGTERM, as systemd, Kubernetes or docker stop would) 300 ms after its
 * 3rd accepted order, which in refbot's cycle (LONG, FLAT, SHORT, FLAT) opens a short position. A
 * clean stop takes no new risk, cancels its orders, closes or protects the position and exits 0
 * within the 3 s grace (001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no);
 * a worker thread without a stop condition keeps the process alive past the grace and it is
 * SIGKILLed (000_2ae31cbfe79758d1.txt#S-M3, 004_8a8a9a4995486b8f.txt#C-SERV-02), and so is a
 * shutdown that deadlocks holding a lock its own event handler takes (004_8a8a9a4995486b8f.txt#H-SERV-05)
 * or joining its workers under the lock they need to exit (004_8a8a9a4995486b8f.txt#C-SERV-04).
 * After the grace its files are read back: a writer never closed, or a worker thread killed at
 * exit mid-write, leaves a torn JSON document or JSON line (004_8a8a9a4995486b8f.txt#C-SERV-03,
 * #C-MAIN-05).
 */
export default defineScenario({
  id: 'sigterm-with-open-position',
  title: 'SIGTERM while the bot holds a position',
  description:
    'process-signal SIGTERM with a 3000 ms grace, 300 ms after the bot’s 3rd accepted order (a position is open); the bot stays down afterwards. ' +
    'Passes when, between the signal and its exit, the bot sends no risk-increasing order, leaves no order open and no position unprotected, ' +
    'and exits with code 0 within the grace; and 3500 ms after the signal its state, peak, halt and alert files (state-files-complete), where they exist, are whole.',
  findings: [
    '001_0474a2fd1532b929.txt#on-stop-leaves-positions-unprotected-no-close-no',
    '000_2ae31cbfe79758d1.txt#S-M3',
    '004_8a8a9a4995486b8f.txt#C-SERV-02',
    '004_8a8a9a4995486b8f.txt#H-SERV-05',
    '004_8a8a9a4995486b8f.txt#C-SERV-04',
    '004_8a8a9a4995486b8f.txt#C-SERV-03',
    '004_8a8a9a4995486b8f.txt#C-MAIN-05',
  ],
  suites: ['nightly'],
  requires: ['rest-orders'],
  instances: 1,
  market: { symbol: 'BTCUSDT', startPrice: 60_000, tickMs: 250, volPerTick: 0.0003 },
  durationMs: 9000,
  faults: [
    { kind: 'process-signal', on: { event: 'order.accepted', nth: 3, delayMs: 300 }, params: { signal: 'SIGTERM', graceMs: 3000 } },
    {
      kind: 'state-files-complete',
      on: { event: 'order.accepted', nth: 3, delayMs: 3800 },
      params: { files: ['refbot-state.json', 'refbot-peak.json', 'refbot-halt.json', 'refbot-alerts.jsonl'] },
    },
  ],
  checks: [{ name: 'clean-sigterm' }],
});
