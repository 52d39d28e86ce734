import { messagingMigrations } from '@postrade/messaging';
import { MatchingIdempotencyKeys1733000000001 } from './matching-idempotency-keys.migration';
import { MatchingTables1733000000000 } from './matching-tables.migration';
import { MatchingTradeFlags1733000000002 } from './matching-trade-flags.migration';

/** Every migration of the `matching` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const confirmationMatchingMigrations = [...messagingMigrations, MatchingTables1733000000000, MatchingIdempotencyKeys1733000000001, MatchingTradeFlags1733000000002];
