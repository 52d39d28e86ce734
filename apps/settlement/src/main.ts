import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { SettlementModule } from './settlement.module';

void bootstrapService(SettlementModule, {
  name: 'settlement',
  defaultPort: 3003,
  description: 'Settlement: instructions, custodian status, fails and CSDR penalties.',
});
