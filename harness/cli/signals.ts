import { AbortedError, EXIT, formatMessage } from '../core/errors.ts';
import { killAllNow } from '../runtimes/local/process.ts';

/** First SIGINT/SIGTERM aborts the run (full teardown follows); a second one kills everything now. */
export function trapSignals(controller: AbortController): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      process.stderr.write(`\n${formatMessage(`${sig}: tearing down (send it again to force-quit)`)}\n`);
      controller.abort(new AbortedError(sig));
      return;
    }
    killAllNow();
    process.exit(sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
