import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { parseCliArgs } from './args.ts';

describe('parseCliArgs', () => {
  it('parses a full run command', () => {
    expect(parseCliArgs(['run', 'a', 'b', '--target', 'refbot', '--target-opt', 'profile=naive', '-o', 'flaws=x=y', '--seed', '7'])).toEqual({
      command: 'run',
      scenarios: ['a', 'b'],
      target: 'refbot',
      targetOpts: { profile: 'naive', flaws: 'x=y' },
      seed: 7,
      runtime: 'local',
      reportsDir: undefined,
    });
  });

  it('takes suites by --suite as well as by name', () => {
    const a = parseCliArgs(['run', 'a', '--suite', 'nightly', '--suite', 'smoke', '--target', 'refbot']);
    expect(a.command === 'run' && a.scenarios).toEqual(['a', 'nightly', 'smoke']);
  });

  it.each([
    [['run', '--target', 'refbot'], /at least one scenario/],
    [['run', 'x'], /--target/],
    [['run', 'x', '--target', 'r', '--seed', 'abc'], /--seed must be a whole number/],
    [['run', 'x', '--target', 'r', '--target-opt', 'novalue'], /key=value/],
    [['run', 'x', '--target', 'r', '--runtime', 'k8s'], /--runtime must be one of/],
    [['run', 'x', '--target', 'r', '--bogus'], /Unknown option/],
    [['frobnicate'], /unknown command/],
  ])('rejects %j as a usage error', (argv, msg) => {
    expect(() => parseCliArgs(argv)).toThrow(ConfigError);
    expect(() => parseCliArgs(argv)).toThrow(msg);
  });

  it('treats no arguments and --help as help', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
    expect(parseCliArgs(['run', '--help'])).toEqual({ command: 'help', topic: 'run' });
  });
});
