import type { ServiceDatabase } from '@postrade/persistence';
import { confirmationMatchingMigrations } from './migrations';
import { confirmationMatchingEntities } from './entities';

/** confirmation-matching owns the `matching` schema through the `matching_svc` role, and nothing else. */
export const confirmationMatchingDatabase: ServiceDatabase = {
  service: 'confirmation-matching',
  schema: 'matching',
  role: 'matching_svc',
  entities: confirmationMatchingEntities,
  migrations: confirmationMatchingMigrations,
};
