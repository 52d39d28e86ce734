import { describeOpenApiContract } from '@postrade/testing';
import { LedgerModule } from '../ledger.module';

describeOpenApiContract({
  service: 'ledger',
  rootModule: LedgerModule,
  thrown: { 'POST /api/v1/dead-letters/{id}/replay': [422] },
});
