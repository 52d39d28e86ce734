import { createHash } from 'node:crypto';
import { BIC_SHAPE, isRole, LEI_SHAPE, Principal, ROLES } from './principal';

/**
 * One API key, kept only as its SHA-256 digest, and the principal it authenticates as: a heap
 * dump, a logged config object or a debugger shows no key that could be replayed.
 */
export interface ApiKeyGrant {
  digest: Buffer;
  principal: Principal;
}

/** A key as written, with its principal: only the documented development keys are held this way. */
export interface DevApiKey {
  key: string;
  principal: Principal;
}

/**
 * The shortest key accepted outside development: 32 characters of a random token is beyond any
 * guessing at the rate limit, and rules out `changeme`-style keys.
 */
export const MIN_API_KEY_LENGTH = 32;

/** The SHA-256 digest of a key, as keys are stored and compared. */
export function apiKeyDigest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function grantOf(devKey: DevApiKey): ApiKeyGrant {
  return { digest: apiKeyDigest(devKey.key), principal: devKey.principal };
}

/** Prefix of development counterparty keys: `dev-cp-<LEI>`. */
export const DEV_COUNTERPARTY_KEY_PREFIX = 'dev-cp-';

/** Prefix of development custodian keys bound to an agent: `dev-custodian-<BIC>` (`dev-custodian` itself stays unbound). */
export const DEV_CUSTODIAN_KEY_PREFIX = 'dev-custodian-';

/** The fixed development keys; their principal id is the key, so `dev-ops` and `dev-ops-2` are two people. */
export const DEV_API_KEYS: readonly DevApiKey[] = [
  { key: 'dev-upstream', principal: { id: 'dev-upstream', role: 'upstream' } },
  { key: 'dev-ops', principal: { id: 'dev-ops', role: 'ops' } },
  { key: 'dev-ops-2', principal: { id: 'dev-ops-2', role: 'ops' } },
  { key: 'dev-supervisor', principal: { id: 'dev-supervisor', role: 'supervisor' } },
  { key: 'dev-custodian', principal: { id: 'dev-custodian', role: 'custodian' } },
  { key: 'dev-auditor', principal: { id: 'dev-auditor', role: 'auditor' } },
];

/** The principal of a `dev-cp-<LEI>` key, or `undefined` when the key is not one. */
export function devCounterpartyPrincipal(key: string): Principal | undefined {
  if (!key.startsWith(DEV_COUNTERPARTY_KEY_PREFIX)) return undefined;
  const lei = key.slice(DEV_COUNTERPARTY_KEY_PREFIX.length);
  return LEI_SHAPE.test(lei) ? { id: key, role: 'counterparty', lei } : undefined;
}

/** The principal of a `dev-custodian-<BIC>` key (bound to that agent), or `undefined` when the key is not one. */
export function devCustodianPrincipal(key: string): Principal | undefined {
  if (!key.startsWith(DEV_CUSTODIAN_KEY_PREFIX)) return undefined;
  const agentBic = key.slice(DEV_CUSTODIAN_KEY_PREFIX.length);
  return BIC_SHAPE.test(agentBic) ? { id: key, role: 'custodian', agentBic } : undefined;
}

/**
 * Parses one `POSTRADE_API_KEYS` entry: `key=role`, `key=counterparty:LEI`, `key=custodian:BIC`
 * (a custodian key bound to the agent it speaks for) or
 * `key=upstream:OMS1,OMS2` (an upstream key bound to the source systems it may write for), with a
 * key of at least `minKeyLength` characters. The key is kept only as its digest; the principal id
 * is `<role>-<first 12 hex of sha256(key)>`, so it identifies the key without revealing it.
 * Throws an `Error` whose message says what is wrong with the entry (without echoing the key).
 */
export function parseApiKeyGrant(entry: string, options: { minKeyLength?: number } = {}): ApiKeyGrant {
  const separator = entry.lastIndexOf('=');
  const key = entry.slice(0, separator).trim();
  const grant = entry.slice(separator + 1).trim();
  if (separator <= 0 || key === '') throw new Error('must be key=role or key=counterparty:LEI');
  const { minKeyLength = 1 } = options;
  if (key.length < minKeyLength) {
    throw new Error(`has a key of ${key.length} characters; keys must have at least ${minKeyLength} (shorter ones only with POSTRADE_DEV_KEYS=1)`);
  }
  const digest = apiKeyDigest(key);
  const [role, lei, ...rest] = grant.split(':');
  if (!isRole(role)) throw new Error(`has unknown role "${role}" (roles: ${ROLES.join(', ')})`);
  if (role === 'counterparty') {
    if (lei === undefined || rest.length > 0 || !LEI_SHAPE.test(lei)) {
      throw new Error('binds a counterparty key without a valid LEI (key=counterparty:<20 alphanumerics>)');
    }
    return { digest, principal: { id: principalIdFor(role, digest), role, lei } };
  }
  if (role === 'custodian' && lei !== undefined) {
    if (rest.length > 0 || !BIC_SHAPE.test(lei)) throw new Error('binds a custodian key without a valid BIC (key=custodian:<BIC of 8 or 11 characters>)');
    return { digest, principal: { id: principalIdFor(role, digest), role, agentBic: lei } };
  }
  if (role === 'upstream' && lei !== undefined) {
    const sourceSystems = lei.split(',').map((system) => system.trim());
    if (rest.length > 0 || sourceSystems.some((system) => !/^[A-Za-z0-9._-]{1,64}$/.test(system))) {
      throw new Error('binds an upstream key to an invalid source system list (key=upstream:OMS1,OMS2)');
    }
    return { digest, principal: { id: principalIdFor(role, digest), role, sourceSystems } };
  }
  if (lei !== undefined) throw new Error(`gives role "${role}" an LEI; only counterparty keys are bound to one (custodian keys to a BIC, upstream keys to source systems)`);
  return { digest, principal: { id: principalIdFor(role, digest), role } };
}

function principalIdFor(role: string, digest: Buffer): string {
  return `${role}-${digest.toString('hex').slice(0, 12)}`;
}
