import { MessagingTables1700000000000 } from '@postrade/messaging';

/** Every migration of the `compliance` schema, in order. The bootstrap step runs them as the service role. */
export const complianceMigrations = [MessagingTables1700000000000];
