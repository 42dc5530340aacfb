import { FINDINGS_HELP } from './findings-command.ts';
import { MATRIX_HELP } from './matrix-command.ts';
import { REPRO_HELP } from './repro-command.ts';

export const USAGE = `faultline: fault-injection chaos harness for trading bots

Usage:
  faultline run <scenario|suite>... --target <name> [options]
  faultline repro <finding-id> --target <name> [--target-opt key=value]... [--seed N]
  faultline matrix --target <name> [--flaws a,b] [--reps N] [--seed N]
  faultline list [--json]
  faultline findings [--json] [--testable] [--family F] [--audit FILE] [--coverage]
  faultline report <run-dir> [--json]
  faultline venue [--port N] [--seed N] [--symbols A,B] [--history-minutes N] [--json]
  faultline help [command]
  faultline --version

run options:
  -t, --target <name|dir>      target under targets/ (or a folder holding faultline.json)
      --suite <name>           run a suite (repeatable; same as naming it): smoke, nightly
  -o, --target-opt key=value   target option (repeatable), e.g. profile=naive
  -s, --seed <n>               seed for the price path and fault schedule (default: random, printed)
      --runtime local|containers  where dependencies and the target run (default: local)
      --reports-dir <dir>      where run folders go (default: ./reports)

Exit codes:
  0  every check valid             1  at least one invariant violated
  2  usage or configuration error  3  inconclusive verdict or harness/runtime failure
  130/143  interrupted by SIGINT/SIGTERM (after full teardown)

Reports: reports/<run-id>/{report.html,report.md,summary.json,junit.xml,history.jsonl};
reports/latest points at the newest run, reports/index.html lists runs with trends.
`;

export const HELP: Record<string, string> = {
  run: `faultline run <scenario|suite>... --target <name> [--target-opt key=value]... [--seed N] [--runtime local]

Starts the dependencies (Redis, Toxiproxy), the simulated Binance USD-M venue and the target,
fires the scenario's faults on schedule, records history.jsonl, checks the invariants, and writes
summary.json and junit.xml under reports/<run-id>/. Ctrl-C tears everything down and keeps the
history recorded so far.

Example:
  faultline run ws-disconnect-stale-prices --target refbot --target-opt profile=naive --seed 7
`,
  report: `faultline report <run-dir> [--json]

Rebuilds summary.json, junit.xml, report.html and report.md of a run folder from its
history.jsonl alone (checks are re-run on the recorded events), and refreshes reports/index.html.
Works on the partial history of a run that was killed: the report says so, and verdicts it
cannot reach are unknown, never pass. If the run's harness died, its leftover processes are
cleaned up. Exit code as for the run: 0 pass, 1 violated, 3 unknown or partial.
`,
  venue: `faultline venue [--port N] [--seed N] [--symbols A,B] [--history-minutes N] [--json]

Runs the simulated Binance USD-M futures venue on its own, on loopback, with a seeded price path,
and prints its REST and WebSocket base URLs and a test API key and secret (with --json: one JSON
line {restUrl, wsUrl, apiKey, apiSecret}), so a bot or a client can be pointed at it by hand.
It has --history-minutes (default 1440, one day; at most 10080) one-minute klines from before it
started, so a bot can page through its history by startTime. Ctrl-C or SIGTERM stops it cleanly.
`,
  findings: FINDINGS_HELP,
  repro: REPRO_HELP,
  matrix: MATRIX_HELP,
  list: `faultline list [--json]

Lists scenarios (id, suites, findings) and targets (name, capabilities, options).
`,
};
