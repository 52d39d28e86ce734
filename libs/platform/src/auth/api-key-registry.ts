import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { PlatformConfig } from '../config/platform-config';
import { apiKeyDigest, ApiKeyGrant, DEV_API_KEYS, devCounterpartyPrincipal, devCustodianPrincipal, grantOf } from './api-key-grants';
import { Principal } from './principal';

/**
 * Maps API keys to principals: the keys from `POSTRADE_API_KEYS`, plus the development keys
 * (`dev-ops`, `dev-cp-<LEI>`, `dev-custodian-<BIC>`, …) only when `POSTRADE_DEV_KEYS=1`. Keys are held as SHA-256
 * digests, hashed once at start; a presented key is hashed and compared with every digest in
 * constant time, so neither the comparison nor where it stops tells a caller how close a guess was.
 */
@Injectable()
export class ApiKeyRegistry {
  private readonly grants: readonly ApiKeyGrant[];
  private readonly devKeysEnabled: boolean;

  constructor(config: PlatformConfig) {
    this.devKeysEnabled = config.devKeysEnabled;
    this.grants = this.devKeysEnabled ? [...DEV_API_KEYS.map(grantOf), ...config.apiKeys] : config.apiKeys;
  }

  /** The principal for `key`, or `undefined` when the key is unknown. */
  principalFor(key: string): Principal | undefined {
    const digest = apiKeyDigest(key);
    let principal: Principal | undefined;
    for (const grant of this.grants) {
      // Every digest is compared, even after a match: no early exit to time.
      if (timingSafeEqual(grant.digest, digest)) principal = grant.principal;
    }
    if (principal !== undefined) return { ...principal };
    return this.devKeysEnabled ? (devCounterpartyPrincipal(key) ?? devCustodianPrincipal(key)) : undefined;
  }
}

/** The key in an `Authorization: Bearer <key>` header, or `undefined`. */
export function bearerKeyOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
