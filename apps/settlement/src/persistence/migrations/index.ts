import { messagingMigrations } from '@postrade/messaging';
import { SettlementTables1732400000000 } from './settlement-tables.migration';

/** Every migration of the `settlement` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const settlementMigrations = [...messagingMigrations, SettlementTables1732400000000];
