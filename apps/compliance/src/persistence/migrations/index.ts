import { MessagingTables1700000000000 } from '@postrade/messaging';
import { ComplianceTables1732400000000 } from './compliance-tables.migration';

/** Every migration of the `compliance` schema, in order. The bootstrap step runs them as the schema owner. */
export const complianceMigrations = [MessagingTables1700000000000, ComplianceTables1732400000000];
