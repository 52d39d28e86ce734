import { messagingMigrations } from '@postrade/messaging';

/** Every migration of the `settlement` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const settlementMigrations = [...messagingMigrations];
