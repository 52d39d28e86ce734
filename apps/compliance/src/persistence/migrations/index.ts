import { messagingMigrations } from '@postrade/messaging';
import { ComplianceTables1732400000000 } from './compliance-tables.migration';
import { ComplianceParkedMillis1764461000000 } from './compliance-parked-millis.migration';
import { ComplianceAuditChains1796600000000 } from './compliance-audit-chains.migration';
import { ComplianceParkedInputs1798200000000 } from './compliance-parked-inputs.migration';
import { ComplianceSanctionsReviews1799100000000 } from './compliance-sanctions-reviews.migration';
import { ComplianceBookDayTotals1799200000000 } from './compliance-book-day-totals.migration';
import { ComplianceControls1799300000000 } from './compliance-controls.migration';
import { ComplianceRestrictionPeriods1799400000000 } from './compliance-restriction-periods.migration';

/** Every migration of the `compliance` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const complianceMigrations = [...messagingMigrations, ComplianceTables1732400000000, ComplianceParkedMillis1764461000000, ComplianceAuditChains1796600000000, ComplianceParkedInputs1798200000000, ComplianceSanctionsReviews1799100000000, ComplianceBookDayTotals1799200000000, ComplianceControls1799300000000, ComplianceRestrictionPeriods1799400000000];
