import 'reflect-metadata';
import { SERVICE_PORTS } from '@postrade/contracts';
import { bootstrapService } from '@postrade/platform';
import { RECONCILIATION_NON_JSON_ROUTES } from './api/statements.controller';
import { ReconciliationModule } from './reconciliation.module';

// Statements run to a hundred thousand lines: a JSON statement gets more room than the platform's
// 1 MB default (XML and CSV bodies have their own limit, RECONCILIATION_STATEMENT_BODY_LIMIT).
process.env.HTTP_BODY_LIMIT ??= '64mb';

void bootstrapService(ReconciliationModule, {
  name: 'reconciliation',
  defaultPort: SERVICE_PORTS.reconciliation,
  description: "Reconciliation: our books against the custodian's statements and the OMS blotter, with a break workflow.",
  nonJsonBodyRoutes: RECONCILIATION_NON_JSON_ROUTES,
});
