import type { ServiceDatabase } from '@postrade/persistence';
import { complianceMigrations } from './migrations';
import { complianceEntities } from './entities';

/** compliance owns the `compliance` schema through the `compliance_svc` role, and nothing else. */
export const complianceDatabase: ServiceDatabase = {
  service: 'compliance',
  schema: 'compliance',
  role: 'compliance_svc',
  entities: complianceEntities,
  migrations: complianceMigrations,
};
