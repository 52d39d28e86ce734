import { ConfigError } from '@postrade/platform';
import { anchorConfigFromEnv, DEV_ANCHOR_KEY } from './anchor-config';

describe('anchoring configuration', () => {
  const secret = 'x'.repeat(32);

  it('reads the key, its id and the interval (a duration with its unit)', () => {
    expect(anchorConfigFromEnv({ AUDIT_ANCHOR_KEY: secret, AUDIT_ANCHOR_KEY_ID: 'k2026', AUDIT_ANCHOR_INTERVAL: '30s' })).toEqual({ key: { id: 'k2026', secret }, intervalMs: 30_000 });
    expect(anchorConfigFromEnv({ AUDIT_ANCHOR_KEY: secret })).toEqual({ key: { id: 'k1', secret }, intervalMs: 5 * 60_000 });
  });

  it('refuses to start without a key outside development, naming the variable', () => {
    expect(() => anchorConfigFromEnv({})).toThrow(ConfigError);
    expect(() => anchorConfigFromEnv({ POSTRADE_DEV_KEYS: '0' })).toThrow(/AUDIT_ANCHOR_KEY is required/);
  });

  it('uses the development key only with POSTRADE_DEV_KEYS=1', () => {
    expect(anchorConfigFromEnv({ POSTRADE_DEV_KEYS: '1' }).key).toEqual(DEV_ANCHOR_KEY);
  });

  it('refuses a short key outside development, a bare number of an interval and a bad key id', () => {
    expect(() => anchorConfigFromEnv({ AUDIT_ANCHOR_KEY: 'short' })).toThrow(/AUDIT_ANCHOR_KEY must have at least 32 characters, got 5/);
    expect(() => anchorConfigFromEnv({ AUDIT_ANCHOR_KEY: secret, AUDIT_ANCHOR_INTERVAL: '300' })).toThrow(/AUDIT_ANCHOR_INTERVAL/);
    expect(() => anchorConfigFromEnv({ AUDIT_ANCHOR_KEY: secret, AUDIT_ANCHOR_KEY_ID: 'no spaces' })).toThrow(/AUDIT_ANCHOR_KEY_ID/);
  });
});
