import { describeOpenApiContract } from '@postrade/testing';
import { ComplianceModule } from '../compliance.module';

describeOpenApiContract({
  service: 'compliance',
  rootModule: ComplianceModule,
  thrown: {
    'POST /api/v1/dead-letters/{id}/replay': [422],
    'POST /api/v1/holds/{tradeId}/release-requests': [409, 422],
    'POST /api/v1/holds/{tradeId}/release-requests/{requestId}/approve': [409],
    'POST /api/v1/holds/{tradeId}/release-requests/{requestId}/decline': [409],
  },
  // 201 whether created or replayed by its Idempotency-Key.
  sameStatusReplays: ['POST /api/v1/holds/{tradeId}/release-requests'],
});
