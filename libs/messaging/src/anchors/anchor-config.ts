import type { AnchorKey } from '@postrade/kernel';
import { readEnv, type EnvSource, type EnvVarDoc } from '@postrade/platform';

/** The development signing key, used only with `POSTRADE_DEV_KEYS=1` when `AUDIT_ANCHOR_KEY` is unset. */
export const DEV_ANCHOR_KEY: AnchorKey = Object.freeze({ id: 'dev', secret: 'postrade-development-anchor-key-not-a-secret' });

/** The shortest `AUDIT_ANCHOR_KEY` accepted outside development. */
export const MIN_ANCHOR_KEY_LENGTH = 32;

/** The environment variables of anchoring, for the docs (docs/anchors.md). */
export const ANCHOR_ENV_VARS: readonly EnvVarDoc[] = [
  {
    name: 'AUDIT_ANCHOR_KEY',
    default: '(none; a development key with POSTRADE_DEV_KEYS=1)',
    description: `Secret that signs and checks anchors (HMAC-SHA256), at least ${MIN_ANCHOR_KEY_LENGTH} characters. Required: a service that anchors refuses to start without it unless POSTRADE_DEV_KEYS=1.`,
  },
  { name: 'AUDIT_ANCHOR_KEY_ID', default: 'k1 (dev with the development key)', description: 'Id of that key, written into every anchor so that a verify picks the key that signed it.' },
  { name: 'AUDIT_ANCHOR_INTERVAL', default: '5m', description: 'How often the chain heads are anchored to audit.anchors.v1 (a duration with its unit: 30s, 5m, 1h).' },
];

export interface AnchorConfig {
  key: AnchorKey;
  intervalMs: number;
}

/** Reads the anchoring settings; throws a `ConfigError` (at start-up) when the key is missing or short outside development. */
export function anchorConfigFromEnv(source: EnvSource): AnchorConfig {
  return readEnv(source, (env) => {
    const dev = env.flag('POSTRADE_DEV_KEYS', { default: false });
    const intervalMs = env.duration('AUDIT_ANCHOR_INTERVAL', { default: '5m', min: '1s' });
    const secret = env.raw('AUDIT_ANCHOR_KEY');
    if (secret === undefined) {
      if (!dev) env.problem('AUDIT_ANCHOR_KEY', `is required (a secret of at least ${MIN_ANCHOR_KEY_LENGTH} characters; a development key is used only with POSTRADE_DEV_KEYS=1)`);
      return { key: DEV_ANCHOR_KEY, intervalMs };
    }
    if (secret.length < MIN_ANCHOR_KEY_LENGTH && !dev) env.problem('AUDIT_ANCHOR_KEY', `must have at least ${MIN_ANCHOR_KEY_LENGTH} characters, got ${secret.length}`);
    const id = env.string('AUDIT_ANCHOR_KEY_ID', { default: 'k1', pattern: /^[A-Za-z0-9._-]{1,64}$/, hint: 'must be 1 to 64 letters, digits, dots, dashes or underscores' });
    return { key: { id, secret }, intervalMs };
  });
}
