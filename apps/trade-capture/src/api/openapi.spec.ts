import { describeOpenApiContract } from '@postrade/testing';
import { TradeCaptureModule } from '../trade-capture.module';

describeOpenApiContract({
  service: 'trade-capture',
  rootModule: TradeCaptureModule,
  // 409: a stale or conflicting version, a cancelled trade; 422: an Idempotency-Key reused with another body.
  thrown: { 'POST /api/v1/dead-letters/{id}/replay': [422], 'POST /api/v1/trades': [409, 422], 'PUT /api/v1/trades/{tradeId}': [409], 'POST /api/v1/trades/{tradeId}/cancel': [409] },
  replayingCreates: ['POST /api/v1/trades'],
});
