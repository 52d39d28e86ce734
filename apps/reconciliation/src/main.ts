import 'reflect-metadata';
import { SERVICE_PORTS } from '@postrade/contracts';
import { bootstrapService } from '@postrade/platform';
import { RECONCILIATION_NON_JSON_ROUTES } from './api/statements.controller';
import { RECONCILIATION_JSON_BODY_LIMIT, ReconciliationModule } from './reconciliation.module';

void bootstrapService(ReconciliationModule, {
  name: 'reconciliation',
  defaultPort: SERVICE_PORTS.reconciliation,
  defaultHttpBodyLimit: RECONCILIATION_JSON_BODY_LIMIT,
  description: "Reconciliation: our books against the custodian's statements and the OMS blotter, with a break workflow.",
  nonJsonBodyRoutes: RECONCILIATION_NON_JSON_ROUTES,
});
