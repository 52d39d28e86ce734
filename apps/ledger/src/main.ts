import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { LedgerModule } from './ledger.module';

void bootstrapService(LedgerModule, {
  name: 'ledger',
  defaultPort: 3004,
  description: 'Ledger: double-entry journal, positions, cash and trial balance.',
});
