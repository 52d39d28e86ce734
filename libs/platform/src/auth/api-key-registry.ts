import { Injectable } from '@nestjs/common';
import { PlatformConfig } from '../config/platform-config';
import { ApiKeyGrant, DEV_API_KEYS, devCounterpartyPrincipal } from './api-key-grants';
import { Principal } from './principal';

/**
 * Maps API keys to principals: the keys from `POSTRADE_API_KEYS`, plus the development keys
 * (`dev-ops`, `dev-cp-<LEI>`, …) only when `POSTRADE_DEV_KEYS=1`.
 */
@Injectable()
export class ApiKeyRegistry {
  private readonly principalsByKey: ReadonlyMap<string, Principal>;
  private readonly devKeysEnabled: boolean;

  constructor(config: PlatformConfig) {
    this.devKeysEnabled = config.devKeysEnabled;
    const grants: readonly ApiKeyGrant[] = this.devKeysEnabled ? [...DEV_API_KEYS, ...config.apiKeys] : config.apiKeys;
    this.principalsByKey = new Map(grants.map((grant) => [grant.key, grant.principal]));
  }

  /** The principal for `key`, or `undefined` when the key is unknown. */
  principalFor(key: string): Principal | undefined {
    const principal = this.principalsByKey.get(key);
    if (principal !== undefined) return { ...principal };
    return this.devKeysEnabled ? devCounterpartyPrincipal(key) : undefined;
  }
}

/** The key in an `Authorization: Bearer <key>` header, or `undefined`. */
export function bearerKeyOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
