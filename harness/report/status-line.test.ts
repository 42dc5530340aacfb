import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StatusLine } from './status-line.ts';

function fakeTty(isTTY: boolean) {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  out.isTTY = isTTY;
  out.columns = 40;
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  return { out, text: () => text };
}

describe('StatusLine', () => {
  it('redraws a spinner line in place on a terminal, cut to its width, and clears it on stop', async () => {
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const t = fakeTty(true);
      const line = new StatusLine(t.out);
      line.start(() => `phase ${'x'.repeat(100)}`);
      await new Promise((r) => setTimeout(r, 250));
      line.stop();
      const drawn = t.text().split('\r\x1b[2K').filter(Boolean);
      expect(drawn.length).toBeGreaterThanOrEqual(2);
      expect(drawn.every((d) => d.length <= 39)).toBe(true);
      expect(t.text().endsWith('\r\x1b[2K')).toBe(true);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });

  it('writes nothing when the stream is not a terminal', async () => {
    const t = fakeTty(false);
    const line = new StatusLine(t.out);
    line.start(() => 'phase');
    await new Promise((r) => setTimeout(r, 150));
    line.stop();
    expect(line.enabled).toBe(false);
    expect(t.text()).toBe('');
  });
});
