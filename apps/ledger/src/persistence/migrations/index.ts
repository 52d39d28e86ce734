import { messagingMigrations } from '@postrade/messaging';

/** Every migration of the `ledger` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const ledgerMigrations = [...messagingMigrations];
