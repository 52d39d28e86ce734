import type { ServiceDatabase } from '@postrade/persistence';
import { ledgerMigrations } from './migrations';
import { ledgerEntities } from './entities';

/** ledger owns the `ledger` schema through the `ledger_svc` role, and nothing else. */
export const ledgerDatabase: ServiceDatabase = {
  service: 'ledger',
  schema: 'ledger',
  role: 'ledger_svc',
  entities: ledgerEntities,
  migrations: ledgerMigrations,
};
