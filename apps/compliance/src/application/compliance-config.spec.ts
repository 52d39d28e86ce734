import { complianceConfigFromEnv, complianceRetentionRules } from './compliance-config';

const DAY = 86_400_000;

describe("compliance's retention configuration", () => {
  it('keeps closed screened trades 400 days and Idempotency-Keys a week by default', () => {
    const config = complianceConfigFromEnv({});
    expect(config).toMatchObject({ closedTradeRetentionMs: 400 * DAY, idempotencyKeyRetentionMs: 7 * DAY });
    const rules = Object.fromEntries(complianceRetentionRules(config).map((r) => [r.name, r]));
    expect(rules['closed screened trades']).toMatchObject({ table: 'screened_trades', timestampColumn: 'closed_at', where: 'closed_at is not null', horizonMs: 400 * DAY });
    expect(rules['idempotency keys']).toMatchObject({ table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: 7 * DAY });
  });

  it('reads the horizons as durations with their unit and refuses a bare number', () => {
    expect(complianceConfigFromEnv({ COMPLIANCE_CLOSED_TRADE_RETENTION: '2d', COMPLIANCE_IDEMPOTENCY_KEY_RETENTION: '36h' })).toMatchObject({
      closedTradeRetentionMs: 2 * DAY,
      idempotencyKeyRetentionMs: 36 * 3_600_000,
    });
    expect(() => complianceConfigFromEnv({ COMPLIANCE_CLOSED_TRADE_RETENTION: '400' })).toThrow(/COMPLIANCE_CLOSED_TRADE_RETENTION="400" must be a duration/);
  });
});
