import { MessagingTables1700000000000 } from '@postrade/messaging';
import { SettlementTables1732400000000 } from './settlement-tables.migration';

/** Every migration of the `settlement` schema, in order. The bootstrap step runs them as the service role. */
export const settlementMigrations = [MessagingTables1700000000000, SettlementTables1732400000000];
