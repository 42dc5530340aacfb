import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { resolveOptions, validateManifest } from './manifest.ts';

const good = {
  name: 'bot',
  start: { command: ['python', '-m', 'bot'] },
  ready: { probe: 'ready', timeoutMs: 1000 },
  capabilities: ['ws-market'],
  options: { profile: { env: 'BOT_PROFILE', default: 'hardened', values: ['naive', 'hardened'], description: '' } },
};

describe('target manifest', () => {
  it('accepts a valid manifest and fills defaults', () => {
    const m = validateManifest(good, 'x.json');
    expect(m.stop).toEqual({ signal: 'SIGTERM', graceMs: 5000 });
  });

  it.each([
    [{ ...good, start: { command: [] } }, /start.command/],
    [{ ...good, ready: {} }, /ready.probe/],
    [{ ...good, options: { p: { env: 'lower', default: '' } } }, /env/],
  ])('rejects an invalid manifest (%#)', (raw, msg) => {
    expect(() => validateManifest(raw, 'x.json')).toThrow(msg);
  });

  it('takes an order id prefix with {instance}, which gives capability order-id-prefix', () => {
    const m = validateManifest({ ...good, orderIdPrefix: 'bt-{instance}-' }, 'x.json');
    expect(m.orderIdPrefix).toBe('bt-{instance}-');
    expect(m.capabilities).toEqual(['ws-market', 'order-id-prefix']);
    expect(validateManifest(good, 'x.json').capabilities).toEqual(['ws-market']);
    expect(() => validateManifest({ ...good, orderIdPrefix: 'bt-' }, 'x.json')).toThrow(/orderIdPrefix.*\{instance\}/);
    expect(() => validateManifest({ ...good, orderIdPrefix: 'bad prefix {instance}' }, 'x.json')).toThrow(/orderIdPrefix/);
  });

  it('maps options to env and rejects unknown keys and values', () => {
    const m = validateManifest(good, 'x.json');
    expect(resolveOptions(m, { profile: 'naive' })).toEqual({ options: { profile: 'naive' }, env: { BOT_PROFILE: 'naive' } });
    expect(resolveOptions(m, {}).env).toEqual({ BOT_PROFILE: 'hardened' });
    expect(() => resolveOptions(m, { profle: 'naive' })).toThrow(ConfigError);
    expect(() => resolveOptions(m, { profile: 'reckless' })).toThrow(/not one of/);
  });
});

describe('target manifest flaws', () => {
  const flaws = { option: 'profile', none: 'none', list: { 'clear-prices': { findings: ['000_x.txt#S-C2'], description: 'd' } } };

  it('accepts a flaw run together with another one (with)', () => {
    const list = { ...flaws.list, thread: { findings: ['000_x.txt#X-L4'], description: 'd', with: ['clear-prices'] } };
    expect(validateManifest({ ...good, flaws: { ...flaws, list } }, 'x.json').flaws?.list.thread?.with).toEqual(['clear-prices']);
  });

  it('accepts a flaw set tied to an option', () => {
    expect(validateManifest({ ...good, flaws }, 'x.json').flaws?.list['clear-prices']?.findings).toEqual(['000_x.txt#S-C2']);
  });

  it.each([
    [{ ...flaws, option: 'nope' }, /flaws.option/],
    [{ ...flaws, none: '' }, /flaws.none/],
    [{ ...flaws, list: { 'Bad Name': { findings: ['a.txt#1'], description: 'd' } } }, /lower-case/],
    [{ ...flaws, list: { x: { findings: [], description: 'd' } } }, /findings/],
    [{ ...flaws, list: { x: { findings: ['S-C2'], description: 'd' } } }, /not a finding id/],
    [{ ...flaws, list: { x: { findings: ['a.txt#1'] } } }, /description/],
    [{ ...flaws, list: { x: { findings: ['a.txt#1'], description: 'd', with: ['y'] } } }, /"with" names "y", which is not another flaw/],
    [{ ...flaws, list: { x: { findings: ['a.txt#1'], description: 'd', with: ['x'] } } }, /"with" names "x"/],
    [{ ...flaws, list: { x: { findings: ['a.txt#1'], description: 'd', with: 'y' } } }, /"with" must be a list/],
  ])('rejects a bad flaw set (%#)', (f, msg) => {
    expect(() => validateManifest({ ...good, flaws: f }, 'x.json')).toThrow(msg);
  });
});
