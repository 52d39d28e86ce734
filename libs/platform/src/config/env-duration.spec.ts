import { ConfigError, parseDuration, readEnv } from './env-reader';

describe('durations in the environment', () => {
  it('reads each unit into milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
  });

  it('refuses a bare number, a fraction and an unknown unit', () => {
    for (const text of ['60', '1.5h', '2w', 'h', '-1d']) expect(parseDuration(text)).toBeUndefined();
  });

  it('uses the default when unset and names the variable when malformed or out of range', () => {
    expect(readEnv({}, (env) => env.duration('X_RETENTION', { default: '7d' }))).toBe(7 * 86_400_000);
    expect(readEnv({ X_RETENTION: '36h' }, (env) => env.duration('X_RETENTION', { default: '7d' }))).toBe(36 * 3_600_000);
    expect(() => readEnv({ X_RETENTION: '60' }, (env) => env.duration('X_RETENTION', { default: '7d' }))).toThrow(/X_RETENTION="60" must be a duration with its unit/);
    expect(() => readEnv({ X_INTERVAL: '5ms' }, (env) => env.duration('X_INTERVAL', { default: '1m', min: '1s' }))).toThrow(ConfigError);
  });
});
