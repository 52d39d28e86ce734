import type { ServiceDatabase } from '@postrade/persistence';
import { settlementMigrations } from './migrations';
import { settlementEntities } from './entities';

/** settlement owns the `settlement` schema through the `settlement_svc` role, and nothing else. */
export const settlementDatabase: ServiceDatabase = {
  service: 'settlement',
  schema: 'settlement',
  role: 'settlement_svc',
  entities: settlementEntities,
  migrations: settlementMigrations,
};
