import { describe, expect, it } from 'vitest';
import { effectiveCapabilities } from './capabilities.ts';

describe('runtime capabilities', () => {
  it('adds egress-guard on the containers runtime only', () => {
    expect(effectiveCapabilities(['rest-orders'], 'containers')).toEqual(['rest-orders', 'egress-guard']);
    expect(effectiveCapabilities(['rest-orders'], 'local')).toEqual(['rest-orders']);
    expect(effectiveCapabilities(['egress-guard'], 'containers')).toEqual(['egress-guard']);
  });
});
