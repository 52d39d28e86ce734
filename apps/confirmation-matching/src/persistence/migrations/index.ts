import { MessagingTables1700000000000 } from '@postrade/messaging';
import { MatchingTables1733000000000 } from './matching-tables.migration';

/** Every migration of the `matching` schema, in order. The bootstrap step runs them as the schema owner. */
export const confirmationMatchingMigrations = [MessagingTables1700000000000, MatchingTables1733000000000];
