import { describeOpenApiContract } from '@postrade/testing';
import { ConfirmationMatchingModule } from '../confirmation-matching.module';

describeOpenApiContract({
  service: 'confirmation-matching',
  rootModule: ConfirmationMatchingModule,
  thrown: {
    'POST /api/v1/dead-letters/{id}/replay': [422],
    'POST /api/v1/confirmations': [422],
    'POST /api/v1/matches/by-trade/{tradeId}/force-match': [409, 422],
    'POST /api/v1/matches/by-trade/{tradeId}/unmatch': [409],
    'POST /api/v1/matches/by-trade/{tradeId}/affirm': [409],
  },
  // Always 202, a replay of the same Idempotency-Key included.
  sameStatusReplays: ['POST /api/v1/confirmations'],
});
