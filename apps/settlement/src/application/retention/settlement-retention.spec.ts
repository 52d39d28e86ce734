import { settlementRetentionRules } from './settlement-retention';

const DAY = 86_400_000;

describe("settlement's retention rules", () => {
  it('keeps applied update ids and reference prices 400 days and finished trades 90, unless configured with a unit', () => {
    const horizons = (env: Record<string, string>) => Object.fromEntries(settlementRetentionRules(env).map((r) => [r.table, r.horizonMs / DAY]));
    expect(horizons({})).toEqual({ status_updates: 400, settlement_trades: 90, reference_prices: 400 });
    expect(horizons({ SETTLEMENT_RETENTION_FINISHED_TRADE: '30d', SETTLEMENT_RETENTION_STATUS_UPDATE: '9600h', SETTLEMENT_RETENTION_REFERENCE_PRICE: '500d' })).toEqual({
      status_updates: 400,
      settlement_trades: 30,
      reference_prices: 500,
    });
    expect(() => settlementRetentionRules({ SETTLEMENT_RETENTION_FINISHED_TRADE: '90' })).toThrow(/SETTLEMENT_RETENTION_FINISHED_TRADE="90" must be a duration/);
  });

  it('removes only the gate state of finished trades, never that of a trade on its way to settlement', () => {
    const finished = settlementRetentionRules({}).find((r) => r.table === 'settlement_trades')!;
    expect(finished.where).toContain(`trade_status = 'CANCELLED'`);
    expect(finished.where).toContain(`compliance_outcome = 'REJECTED'`);
    expect(finished.where).toContain(`i.settlement_status = 'SETTLED'`);
  });
});
