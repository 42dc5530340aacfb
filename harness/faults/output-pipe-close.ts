import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { onlyKeys } from './params.ts';
import type { FaultKind } from './types.ts';

export interface OutputPipeCloseParams {
  /** The pipe whose read end the harness closes (default stderr, where most bots log). */
  stream: 'stdout' | 'stderr';
}

/** `fault output.closed`: the pipe was closed; how much the bot had written to it, and how recently. */
export interface OutputClosedData {
  id: string;
  stream: 'stdout' | 'stderr';
  pid: number;
  /** Bytes the bot had written to the stream before the close (its captured log's size). */
  bytesBefore: number;
  /** Milliseconds since its last write to the stream (the captured log's mtime); absent when it wrote nothing. */
  lastWriteAgoMs?: number;
}

/**
 * The bot's terminal goes away mid-run: the harness closes its read end of the instance's stdout or
 * stderr pipe, as when the journal, the `| tee` or the SSH session the bot writes to dies. The
 * bot's next write there fails: EPIPE, or SIGPIPE, which kills a process that does not ignore it
 * (Go and C programs writing to fd 1 or 2). Records `fault output.closed` (OutputClosedData) before
 * closing. The pipe stays closed until the instance restarts. Needs runtime capability
 * `output-pipes` (local); closing stdout also ends the harness's view of the bot's probes.
 * Check output-failures-reported (000_2ae31cbfe79758d1.txt#E-H2).
 */
export const outputPipeClose: FaultKind<OutputPipeCloseParams> = {
  name: 'output-pipe-close',
  description: 'Close the harness’s read end of the bot’s stderr (or stdout) pipe, so its next write there fails (EPIPE / SIGPIPE)',
  links: [],
  instant: true,
  parse(raw) {
    onlyKeys('output-pipe-close', raw, ['stream']);
    const stream = raw.stream ?? 'stderr';
    if (stream !== 'stdout' && stream !== 'stderr')
      throw new ConfigError(`fault output-pipe-close: stream must be "stdout" or "stderr", got ${JSON.stringify(stream)}`);
    return { stream };
  },
  async inject(ctx, target, params) {
    const t = ctx.target(target.instance);
    if (!t.running) throw new Error(`output-pipe-close: ${target.instance} is not running`);
    if (!t.closeOutput) throw new Error(`output-pipe-close: this runtime cannot close ${target.instance}'s ${params.stream} (capability output-pipes)`);
    const data: OutputClosedData = { id: target.occurrence, stream: params.stream, pid: t.pid, bytesBefore: 0 };
    if (t.logDir) {
      try {
        const st = statSync(join(t.logDir, `${params.stream}.log`));
        data.bytesBefore = st.size;
        if (st.size > 0) data.lastWriteAgoMs = Math.max(0, Math.round(Date.now() - st.mtimeMs));
      } catch {
        // No log yet: nothing written.
      }
    }
    ctx.recorder.record('fault', 'output.closed', data as unknown as Record<string, unknown>, target.instance);
    t.closeOutput(params.stream);
    return { heal: async () => {} };
  },
};
