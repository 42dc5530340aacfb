import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The venue listens on loopback inside the harness, out of any container's reach. A relay per
 * venue port listens on the run network's gateway address (the host's side of the bridge) and
 * pipes bytes to it, accepting connections from Toxiproxy's address only: a target can reach the
 * venue through its Toxiproxy links and no other way.
 */
export interface VenueRelay {
  /** host:port Toxiproxy uses as the upstream. */
  address: string;
  close(): Promise<void>;
}

export async function startRelay(opts: { listenHost: string; allowFrom: string; targetPort: number; onRefused?: (from: string) => void }): Promise<VenueRelay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const from = inbound.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    if (from !== opts.allowFrom) {
      opts.onRefused?.(from);
      inbound.destroy();
      return;
    }
    const outbound = connect(opts.targetPort, '127.0.0.1');
    sockets.add(inbound);
    sockets.add(outbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.listenHost, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    address: `${opts.listenHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
