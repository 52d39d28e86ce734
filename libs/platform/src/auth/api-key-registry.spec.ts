import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { PlatformConfig } from '../config/platform-config';
import { ApiKeyRegistry } from './api-key-registry';

// The real comparison, observed: which digests the registry compares, and how.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const compare = jest.mocked(timingSafeEqual);

const OPS_KEY = 'ops-key-0123456789abcdef0123456789abcdef';
const AUDITOR_KEY = 'auditor-key-0123456789abcdef0123456789ab';

function registry(env: Record<string, string>): ApiKeyRegistry {
  return new ApiKeyRegistry(PlatformConfig.fromEnv(env, { name: 'sample', port: 0 }));
}

describe('ApiKeyRegistry', () => {
  beforeEach(() => compare.mockClear());

  it('recognises each configured key, and no other', () => {
    const keys = registry({ POSTRADE_API_KEYS: `${OPS_KEY}=ops,${AUDITOR_KEY}=auditor` });
    expect(keys.principalFor(OPS_KEY)?.role).toBe('ops');
    expect(keys.principalFor(AUDITOR_KEY)?.role).toBe('auditor');
    expect(keys.principalFor(`${OPS_KEY}x`)).toBeUndefined();
    expect(keys.principalFor(OPS_KEY.slice(0, -1))).toBeUndefined();
  });

  it('holds no configured key as written, only its digest', () => {
    const keys = registry({ POSTRADE_API_KEYS: `${OPS_KEY}=ops` });
    const held = inspect(keys, { depth: null, showHidden: true });
    expect(held).not.toContain(OPS_KEY);
    expect(held).toContain(inspect(createHash('sha256').update(OPS_KEY).digest()));
  });

  it("compares the presented key's SHA-256 digest with every stored digest in constant time, even after a match", () => {
    const keys = registry({ POSTRADE_API_KEYS: `${OPS_KEY}=ops,${AUDITOR_KEY}=auditor` });

    expect(keys.principalFor(OPS_KEY)?.role).toBe('ops');

    expect(compare).toHaveBeenCalledTimes(2);
    const presented = createHash('sha256').update(OPS_KEY).digest();
    for (const [stored, given] of compare.mock.calls) {
      expect(stored).toHaveLength(32);
      expect(given).toEqual(presented);
    }
  });
});
