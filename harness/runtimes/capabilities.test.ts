import { describe, expect, it } from 'vitest';
import { effectiveCapabilities } from './capabilities.ts';

describe('runtime capabilities', () => {
  it('adds egress-guard on containers only and output-pipes on local only', () => {
    expect(effectiveCapabilities(['rest-orders'], 'containers')).toEqual(['rest-orders', 'egress-guard']);
    expect(effectiveCapabilities(['rest-orders'], 'local')).toEqual(['rest-orders', 'output-pipes']);
    expect(effectiveCapabilities(['egress-guard'], 'containers')).toEqual(['egress-guard']);
  });
});
