import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from '@postrade/contracts';
import type { ServiceDatabase } from '@postrade/persistence';
import { tradeCaptureDatabase } from '../../apps/trade-capture/src/persistence/trade-capture.database';
import { confirmationMatchingDatabase } from '../../apps/confirmation-matching/src/persistence/confirmation-matching.database';
import { settlementDatabase } from '../../apps/settlement/src/persistence/settlement.database';
import { ledgerDatabase } from '../../apps/ledger/src/persistence/ledger.database';
import { complianceDatabase } from '../../apps/compliance/src/persistence/compliance.database';
import { reconciliationDatabase } from '../../apps/reconciliation/src/persistence/reconciliation.database';

export interface ServiceDescriptor {
  name: ServiceName;
  port: number;
  /** The TypeScript entry point (tests and the dev profile of docker-compose.yml run it with ts-node). */
  main: string;
  /** What `npm run build` compiles `main` to; `npm start` and the service images run it with plain node. */
  compiledMain: string;
  database: ServiceDatabase;
}

/** Each service's schema; the names and ports come from the one list in @postrade/contracts. */
const DATABASES: Record<ServiceName, ServiceDatabase> = {
  'trade-capture': tradeCaptureDatabase,
  'confirmation-matching': confirmationMatchingDatabase,
  settlement: settlementDatabase,
  ledger: ledgerDatabase,
  compliance: complianceDatabase,
  reconciliation: reconciliationDatabase,
};

/** The services as the local runtime starts them: `dist/apps/<name>/src/main.js` (compiled from `apps/<name>/src/main.ts`) on the service's port. */
export const SERVICES: ServiceDescriptor[] = SERVICE_NAMES.map((name) => ({
  name,
  port: SERVICE_PORTS[name],
  main: `apps/${name}/src/main.ts`,
  compiledMain: `dist/apps/${name}/src/main.js`,
  database: DATABASES[name],
}));
