import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { SETTLEMENT_NON_JSON_ROUTES } from './api/status-messages.controller';
import { SettlementModule } from './settlement.module';

void bootstrapService(SettlementModule, {
  name: 'settlement',
  defaultPort: 3003,
  description: 'Settlement: instructions, custodian status, fails and CSDR penalties.',
  nonJsonBodyRoutes: SETTLEMENT_NON_JSON_ROUTES,
});
