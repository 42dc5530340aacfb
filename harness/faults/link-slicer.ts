import { ConfigError } from '../core/errors.ts';
import { msParam } from './params.ts';
import { toxicFault } from './toxic-fault.ts';

export interface LinkSlicerParams {
  durationMs: number;
  averageSizeBytes: number;
  sizeVariationBytes: number;
  delayUs: number;
}

function bytes(raw: Record<string, unknown>, key: string, fallback?: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ConfigError(`fault link-slicer: ${key} must be a whole number >= 0, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Slices what the venue sends into small TCP segments with a delay between them (Toxiproxy
 * `slicer`): WebSocket frames and JSON bodies arrive in pieces, as on a congested path.
 */
export const linkSlicer = toxicFault<LinkSlicerParams>({
  name: 'link-slicer',
  description: 'Split venue -> bot data into averageSizeBytes ± sizeVariationBytes pieces, delayUs apart, for durationMs',
  links: ['market-ws', 'user-ws', 'rest', 'db'],
  cuts: false,
  keys: ['durationMs', 'averageSizeBytes', 'sizeVariationBytes', 'delayUs'],
  parse: (raw) => {
    const p = {
      durationMs: msParam('link-slicer', raw, 'durationMs', { min: 1 }),
      averageSizeBytes: bytes(raw, 'averageSizeBytes'),
      sizeVariationBytes: bytes(raw, 'sizeVariationBytes', 0),
      delayUs: bytes(raw, 'delayUs', 0),
    };
    if (p.averageSizeBytes < 1) throw new ConfigError('fault link-slicer: averageSizeBytes must be >= 1');
    if (p.sizeVariationBytes >= p.averageSizeBytes) throw new ConfigError('fault link-slicer: sizeVariationBytes must be smaller than averageSizeBytes');
    return p;
  },
  toxic: (p) => ({
    type: 'slicer',
    stream: 'downstream',
    attributes: { average_size: p.averageSizeBytes, size_variation: p.sizeVariationBytes, delay: p.delayUs },
  }),
});
