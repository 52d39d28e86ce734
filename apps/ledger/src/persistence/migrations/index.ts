import { MessagingTables1700000000000 } from '@postrade/messaging';

/** Every migration of the `ledger` schema, in order. The bootstrap step runs them as the service role. */
export const ledgerMigrations = [MessagingTables1700000000000];
