import { describeOpenApiContract } from '@postrade/testing';
import { ReconciliationModule } from '../reconciliation.module';

describeOpenApiContract({
  service: 'reconciliation',
  rootModule: ReconciliationModule,
  thrown: {
    'POST /api/v1/dead-letters/{id}/replay': [422],
    'POST /api/v1/breaks/{breakId}/assign': [422],
    'POST /api/v1/breaks/{breakId}/comments': [422],
    'POST /api/v1/breaks/{breakId}/resolve': [422],
    'POST /api/v1/breaks/{breakId}/write-off-requests': [409, 422],
    'POST /api/v1/breaks/{breakId}/write-off-requests/{requestId}/approve': [422],
    'POST /api/v1/breaks/{breakId}/write-off-requests/{requestId}/decline': [422],
  },
  // The same statement or blotter again answers 200 with the first result.
  replayingCreates: ['POST /api/v1/statements', 'POST /api/v1/blotters'],
});
