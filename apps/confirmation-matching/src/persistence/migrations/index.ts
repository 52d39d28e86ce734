import { messagingMigrations } from '@postrade/messaging';

/** Every migration of the `matching` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const confirmationMatchingMigrations = [...messagingMigrations];
