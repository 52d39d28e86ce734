import { messagingMigrations } from '@postrade/messaging';

/** Every migration of the `compliance` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const complianceMigrations = [...messagingMigrations];
