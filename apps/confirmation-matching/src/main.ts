import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { ConfirmationMatchingModule } from './confirmation-matching.module';

void bootstrapService(ConfirmationMatchingModule, {
  name: 'confirmation-matching',
  defaultPort: 3002,
  description: 'Confirmation matching: pairing and matching counterparty confirmations against trades.',
});
