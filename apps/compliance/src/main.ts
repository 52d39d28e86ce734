import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { ComplianceModule } from './compliance.module';

void bootstrapService(ComplianceModule, {
  name: 'compliance',
  defaultPort: 3005,
  description: 'Compliance: screening, holds, maker-checker releases and the audit trail.',
});
