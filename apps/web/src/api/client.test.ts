import { afterEach, describe, expect, it, vi } from 'vitest';
import { newKey } from './client';

// Idempotency-Keys also over plain HTTP on an intranet host, where the browser has no crypto.randomUUID.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes version-4 UUIDs where randomUUID is missing (not a secure context)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn(<T extends ArrayBufferView>(array: T) => real.getRandomValues(array));
    vi.stubGlobal('crypto', { getRandomValues });
    const keys = Array.from({ length: 200 }, newKey);
    for (const key of keys) expect(key).toMatch(UUID_V4);
    expect(new Set(keys).size).toBe(keys.length);
    expect(getRandomValues).toHaveBeenCalledTimes(keys.length);
  });

  it('uses randomUUID where there is one', () => {
    expect(newKey()).toMatch(UUID_V4);
  });
});
