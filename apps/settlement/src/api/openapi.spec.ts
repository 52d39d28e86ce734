import { describeOpenApiContract } from '@postrade/testing';
import { SettlementModule } from '../settlement.module';

describeOpenApiContract({
  service: 'settlement',
  rootModule: SettlementModule,
  thrown: {
    'POST /api/v1/dead-letters/{id}/replay': [422],
    'POST /api/v1/instructions/{id}/status-updates': [409, 422],
    'POST /api/v1/status-messages': [404, 409, 422],
    'POST /api/v1/settlement-days/{date}/close': [422],
  },
  // 200 whether applied or replayed (a replayed updateId answers the instruction unchanged).
  sameStatusReplays: ['POST /api/v1/instructions/{id}/status-updates'],
});
