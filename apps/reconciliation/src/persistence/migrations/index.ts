import { messagingMigrations } from '@postrade/messaging';
import { ReconciliationTables1797000000000 } from './reconciliation-tables.migration';

/** Every migration of the `reconciliation` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const reconciliationMigrations = [...messagingMigrations, ReconciliationTables1797000000000];
