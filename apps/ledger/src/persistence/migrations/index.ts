import { MessagingTables1700000000000 } from '@postrade/messaging';
import { LedgerTables1732600000000 } from './ledger-tables.migration';

/** Every migration of the `ledger` schema, in order. The bootstrap step runs them as the service role. */
export const ledgerMigrations = [MessagingTables1700000000000, LedgerTables1732600000000];
