import type { ServiceDatabase } from '@postrade/persistence';
import { reconciliationMigrations } from './migrations';

/** reconciliation owns the `reconciliation` schema through the `reconciliation_svc` role, and nothing else. */
export const reconciliationDatabase: ServiceDatabase = {
  service: 'reconciliation',
  schema: 'reconciliation',
  role: 'reconciliation_svc',
  entities: [],
  migrations: reconciliationMigrations,
};
