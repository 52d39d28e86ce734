import { messagingMigrations } from '@postrade/messaging';
import { LedgerTables1732600000000 } from './ledger-tables.migration';
import { LedgerJournalChains1796600000000 } from './ledger-journal-chains.migration';
import { LedgerCancelledOn1797100000000 } from './ledger-cancelled-on.migration';
import { LedgerParkedInputs1798200000000 } from './ledger-parked-inputs.migration';
import { LedgerSettledAsDepository1798300000000 } from './ledger-settled-as-depository.migration';
import { LedgerBalanceSlots1798400000000 } from './ledger-balance-slots.migration';

/** Every migration of the `ledger` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const ledgerMigrations = [...messagingMigrations, LedgerTables1732600000000, LedgerJournalChains1796600000000, LedgerCancelledOn1797100000000, LedgerParkedInputs1798200000000, LedgerSettledAsDepository1798300000000, LedgerBalanceSlots1798400000000];
