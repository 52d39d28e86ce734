import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiKeyRegistry, bearerKeyOf } from '../auth/api-key-registry';
import { PlatformConfig } from '../config/platform-config';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Rate limiting per caller across the whole service: a known API key is one caller wherever it
 * calls from; without one, the IP address is. Health and metrics opt out with `@SkipThrottle()`.
 * Counters live in process memory, so the limit applies per replica.
 */
export function rateLimitingModule() {
  return ThrottlerModule.forRootAsync({
    inject: [PlatformConfig, ApiKeyRegistry],
    useFactory: (config: PlatformConfig, apiKeys: ApiKeyRegistry): ThrottlerModuleOptions => ({
      throttlers: [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: config.rateLimitPerMinute }],
      errorMessage: `More than ${config.rateLimitPerMinute} requests in a minute; retry after the number of seconds in Retry-After.`,
      getTracker: (request: Record<string, any>) => trackerOf(request as Request, apiKeys),
      generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
    }),
  });
}

function trackerOf(request: Request, apiKeys: ApiKeyRegistry): string {
  const key = bearerKeyOf(request.headers.authorization);
  const principal = key === undefined ? undefined : apiKeys.principalFor(key);
  return principal !== undefined ? `principal:${principal.id}` : `ip:${request.ip ?? 'unknown'}`;
}
