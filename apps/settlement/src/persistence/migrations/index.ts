import { messagingMigrations } from '@postrade/messaging';
import { SettlementTables1732400000000 } from './settlement-tables.migration';
import { SettlementParkedInputs1798200000000 } from './settlement-parked-inputs.migration';
import { SettlementPenaltyRules1798300000000 } from './settlement-penalty-rules.migration';
import { SettlementTradeDates1798410000000 } from './settlement-trade-dates.migration';
import { SettlementUpdateSenders1798420000000 } from './settlement-update-senders.migration';
import { SettlementCustodianCycle1798500000000 } from './settlement-custodian-cycle.migration';

/** Every migration of the `settlement` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const settlementMigrations = [...messagingMigrations, SettlementTables1732400000000, SettlementParkedInputs1798200000000, SettlementPenaltyRules1798300000000, SettlementTradeDates1798410000000, SettlementUpdateSenders1798420000000, SettlementCustodianCycle1798500000000];
