import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Recorder } from '../../history/types.ts';
import { type StartedDep, startDep } from './container.ts';
import { IMAGES } from './images.ts';
import type { RunNetwork } from './network.ts';

/**
 * Production exchange API hostnames pinned to the sinkhole in every target's /etc/hosts, so they
 * never reach DNS at all; every other external name reaches the sinkhole's DNS (the target's DNS
 * server), which also answers with itself.
 */
export const PRODUCTION_HOSTS = [
  'fapi.binance.com',
  'fstream.binance.com',
  'dapi.binance.com',
  'dstream.binance.com',
  'api.binance.com',
  'stream.binance.com',
  'ws-fapi.binance.com',
  'api.bybit.com',
  'stream.bybit.com',
  'api.hyperliquid.xyz',
  'api.okx.com',
  'ws.okx.com',
  'api.kraken.com',
  'futures.kraken.com',
  'api.coinbase.com',
  'api.exchange.coinbase.com',
  'api.gateio.ws',
  'api.bitget.com',
  'api.kucoin.com',
  'www.deribit.com',
];

export interface EgressAttempt extends Record<string, unknown> {
  kind: 'tcp' | 'dns';
  host?: string;
  port?: number;
  sni?: string;
  from: string;
}

/**
 * Starts the run's sinkhole and turns every attempt it reports into a `runtime egress.attempt`
 * history event, attributed to the instance whose address it came from.
 */
export async function startSinkhole(opts: {
  d: Dockerode;
  runId: string;
  network: RunNetwork;
  recorder: Recorder;
  instanceOf: (ip: string) => string | undefined;
}): Promise<StartedDep & { stopFollowing(): void }> {
  const dep = await startDep({
    runId: opts.runId,
    network: opts.network,
    role: 'sinkhole',
    image: IMAGES.sinkhole,
    alias: 'sinkhole',
    readyLog: /"kind":"ready"/,
  });
  const raw = (await opts.d.getContainer(dep.container.getId()).logs({ follow: true, stdout: true, stderr: false })) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough();
  opts.d.modem.demuxStream(raw, out, new PassThrough());
  raw.on('end', () => out.end());
  createInterface({ input: out }).on('line', (line) => {
    let rec: { egress?: EgressAttempt & { kind: string } };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      return;
    }
    const e = rec.egress;
    if (!e || (e.kind !== 'tcp' && e.kind !== 'dns')) return;
    opts.recorder.record('runtime', 'egress.attempt', { ...e, blocked: true }, opts.instanceOf(e.from));
  });
  return { ...dep, stopFollowing: () => (raw as unknown as { destroy?: () => void }).destroy?.() };
}
