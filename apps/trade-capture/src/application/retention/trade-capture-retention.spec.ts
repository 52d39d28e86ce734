import { tradeCaptureRetentionRules } from './trade-capture-retention';

describe("trade-capture's retention rules", () => {
  it('forgets Idempotency-Keys a week after they were claimed unless configured with a unit, and keeps the books', () => {
    expect(tradeCaptureRetentionRules({})).toEqual([{ name: 'Idempotency-Keys', table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: 7 * 86_400_000 }]);
    expect(tradeCaptureRetentionRules({ TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION: '36h' })[0].horizonMs).toBe(36 * 3_600_000);
    expect(() => tradeCaptureRetentionRules({ TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION: '604800000' })).toThrow(/TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION="604800000"/);
  });
});
