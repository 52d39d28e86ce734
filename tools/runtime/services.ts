import type { ServiceDatabase } from '@postrade/persistence';
import { tradeCaptureDatabase } from '../../apps/trade-capture/src/persistence/trade-capture.database';
import { confirmationMatchingDatabase } from '../../apps/confirmation-matching/src/persistence/confirmation-matching.database';
import { settlementDatabase } from '../../apps/settlement/src/persistence/settlement.database';
import { ledgerDatabase } from '../../apps/ledger/src/persistence/ledger.database';
import { complianceDatabase } from '../../apps/compliance/src/persistence/compliance.database';

export interface ServiceDescriptor {
  name: string;
  port: number;
  main: string;
  database: ServiceDatabase;
}

/** The five services as the local runtime starts them. */
export const SERVICES: ServiceDescriptor[] = [
  { name: 'trade-capture', port: 3001, main: 'apps/trade-capture/src/main.ts', database: tradeCaptureDatabase },
  { name: 'confirmation-matching', port: 3002, main: 'apps/confirmation-matching/src/main.ts', database: confirmationMatchingDatabase },
  { name: 'settlement', port: 3003, main: 'apps/settlement/src/main.ts', database: settlementDatabase },
  { name: 'ledger', port: 3004, main: 'apps/ledger/src/main.ts', database: ledgerDatabase },
  { name: 'compliance', port: 3005, main: 'apps/compliance/src/main.ts', database: complianceDatabase },
];
