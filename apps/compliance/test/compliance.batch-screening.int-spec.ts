import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { TradeResource } from '@postrade/contracts';
import { freshLei } from '@postrade/testing';
import { ScreenTradeHandler, type ScreenTradeCommand } from '../src/application/screen-trade/screen-trade.command-handler';
import { ComplianceModule } from '../src/compliance.module';
import { screenedTradeOf } from '../src/messaging/trade-events.handler';

/**
 * A batch is screened against the stored trades and its own earlier trades in memory (one
 * statement per kind of read, one write of all versions): each trade must see exactly what it
 * would have seen screened one by one — the batch's earlier trades count towards exposure and
 * wash trades, a later version or a cancellation in the same batch applies to the batch's own
 * version, and what already settled stays settled when an amendment changes the amount.
 */
describe('compliance screens a batch as if trade by trade', () => {
  let app: INestApplication;
  let db: DataSource;
  let handler: ScreenTradeHandler;
  const ourEntity = { lei: freshLei(), name: 'Batch Bank AG', bic: 'DEUTDEFF' };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ComplianceModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    db = app.get(DataSource);
    handler = app.get(ScreenTradeHandler);
  });

  afterAll(async () => {
    await app?.close();
  });

  function trade(counterparty: { lei: string; name: string }, terms: Partial<TradeResource> = {}): TradeResource {
    const at = new Date().toISOString();
    const ssi = { lei: ourEntity.lei, settlementMarket: 'US' as const, currency: 'USD', agentBic: 'CHASUS33', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DTCYUS33' };
    return {
      tradeId: randomUUID(),
      sourceSystem: 'OMS1',
      sourceTradeId: `BATCH-${randomUUID()}`,
      version: 1,
      status: 'CAPTURED',
      tradeDate: '2026-11-20',
      executionTime: at,
      side: 'BUY',
      isin: 'US0378331005',
      quantity: '100',
      price: '100.00',
      currency: 'USD',
      grossAmount: '10000.00',
      accruedInterest: '0.00',
      accruedDays: 0,
      commission: '0',
      fees: '0',
      netAmount: '10000.00',
      settlementDate: '2026-11-23',
      settlementCycle: 'T+1',
      settlementMarket: 'US',
      settlementType: 'DVP',
      book: `BOOK-${randomUUID().slice(0, 8)}`,
      instrument: { description: 'Equity', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { ...counterparty, bic: 'GSCMUS33XXX', country: 'US' },
      legalEntity: ourEntity,
      ssis: { ours: ssi, theirs: { ...ssi, lei: counterparty.lei } },
      exceptions: [],
      cancelReason: null,
      createdAt: at,
      updatedAt: at,
      ...terms,
    };
  }

  const kindOf = (t: TradeResource): ScreenTradeCommand['kind'] => (t.status === 'CANCELLED' ? 'cancelled' : t.version > 1 ? 'amended' : 'captured');
  const commandOf = (t: TradeResource): ScreenTradeCommand => ({ kind: kindOf(t), ...screenedTradeOf(t), causation: {} });
  const screen = (trades: TradeResource[]) => db.transaction((em) => handler.executeBatch(trades.map(commandOf), em));

  async function rulesOf(tradeId: string): Promise<{ outcome: string; version: number; rules: string[] }> {
    const [decision] = await db.query('select outcome, trade_version from decisions where trade_id = $1', [tradeId]);
    const alerts: { rule: string }[] = await db.query(`select rule from alerts where trade_id = $1 and status = 'OPEN' order by rule`, [tradeId]);
    return { outcome: decision?.outcome, version: decision?.trade_version, rules: alerts.map((a) => a.rule) };
  }

  async function stored(tradeId: string): Promise<{ version: number; status: string; net: string; unsettled: string; closed: boolean }> {
    const [row] = await db.query(
      'select version, status, net_amount::numeric(20, 2)::text as net, unsettled_amount::numeric(20, 2)::text as unsettled, closed_at is not null as closed from screened_trades where trade_id = $1',
      [tradeId],
    );
    return row;
  }

  it('counts the batch’s earlier trades towards the counterparty’s exposure limit', async () => {
    const cp = { lei: freshLei(), name: 'Limited Batch Counterparty' };
    await db.query(`insert into counterparties (lei, name, updated_at) values ($1, $2, now())`, [cp.lei, cp.name]);
    await db.query(`insert into exposure_limits (counterparty_lei, currency, limit_amount, updated_at) values ($1, 'USD', 25000, now())`, [cp.lei]);
    const stored1 = trade(cp);
    await screen([stored1]);
    // 10,000 stored + 10,000 + 10,000 in the batch: the third crosses 25,000; an EUR trade counts apart.
    const [first, second, euro] = [trade(cp), trade(cp), trade(cp, { currency: 'EUR' })];
    await screen([first, euro, second]);
    expect(await rulesOf(first.tradeId)).toMatchObject({ outcome: 'CLEARED', rules: [] });
    expect(await rulesOf(euro.tradeId)).toMatchObject({ outcome: 'CLEARED', rules: [] });
    expect(await rulesOf(second.tradeId)).toMatchObject({ outcome: 'HELD', rules: ['EXPOSURE_LIMIT'] });
  });

  it('finds a wash trade against a trade earlier in the same batch and against a stored one', async () => {
    const cp = { lei: freshLei(), name: 'Wash Batch Counterparty' };
    const buy = trade(cp, { side: 'BUY' });
    await screen([buy]);
    const sell = trade(cp, { side: 'SELL', book: buy.book });
    const buyAgain = trade(cp, { side: 'BUY', book: buy.book });
    await screen([sell, buyAgain]);
    expect((await rulesOf(sell.tradeId)).rules).toEqual(['WASH_TRADE']);
    expect((await rulesOf(buyAgain.tradeId)).rules).toEqual(['WASH_TRADE']);
    const [alert] = await db.query(`select details->>'oppositeTradeId' as opposite from alerts where trade_id = $1 and rule = 'WASH_TRADE'`, [buyAgain.tradeId]);
    expect(alert.opposite).toBe(sell.tradeId);
  });

  it('applies a later version and a cancellation in the same batch to the batch’s own version', async () => {
    const cp = { lei: freshLei(), name: 'Versions Batch Counterparty' };
    const v1 = trade(cp);
    const v2 = { ...v1, version: 2, status: 'AMENDED' as const, netAmount: '12000.00', grossAmount: '12000.00', quantity: '120' };
    const cancelledNew = trade(cp);
    const cancel = { ...cancelledNew, version: 2, status: 'CANCELLED' as const, cancelReason: 'booked in error' };
    await screen([v1, cancelledNew, v2, cancel]);
    expect(await stored(v1.tradeId)).toMatchObject({ version: 2, status: 'AMENDED', net: '12000.00', unsettled: '12000.00', closed: false });
    expect(await rulesOf(v1.tradeId)).toMatchObject({ version: 2, outcome: 'CLEARED' });
    expect(await stored(cancelledNew.tradeId)).toMatchObject({ version: 2, status: 'CANCELLED', net: '10000.00', closed: true });
  });

  it('keeps what already settled settled when an amendment changes the amount', async () => {
    const cp = { lei: freshLei(), name: 'Settled Batch Counterparty' };
    const v1 = trade(cp);
    await screen([v1]);
    await db.query(`update screened_trades set unsettled_amount = 6000 where trade_id = $1`, [v1.tradeId]); // 4,000 settled
    await screen([{ ...v1, version: 2, status: 'AMENDED', netAmount: '15000.00', grossAmount: '15000.00' }]);
    expect(await stored(v1.tradeId)).toMatchObject({ version: 2, unsettled: '11000.00', closed: false });
    await screen([{ ...v1, version: 3, status: 'AMENDED', netAmount: '3000.00', grossAmount: '3000.00' }]);
    expect(await stored(v1.tradeId)).toMatchObject({ version: 3, unsettled: '0.00' });
  });

  it('keeps each book-day’s large-trader totals as its trades come, change and go, and alerts on the crossing trade only', async () => {
    const cp = { lei: freshLei(), name: 'Large Trader Batch Counterparty' };
    const book = `BOOK-LT-${randomUUID().slice(0, 8)}`;
    const shares = (quantity: number) => {
      const amount = (quantity / 100).toFixed(2);
      return { book, quantity: String(quantity), price: '0.01', grossAmount: amount, netAmount: amount };
    };
    const totals = async () =>
      (await db.query(`select shares::text, usd_notional::numeric(20, 2)::text as usd from book_days where book = $1 and trade_date = '2026-11-20'`, [book]))[0];

    const a = trade(cp, shares(1_500_000));
    await screen([a]);
    const [b, c] = [trade(cp, shares(400_000)), trade(cp, shares(200_000))];
    await screen([b, c]);
    expect((await rulesOf(b.tradeId)).rules).toEqual([]);
    expect((await rulesOf(c.tradeId)).rules).toEqual(['LARGE_TRADER']);
    expect(await totals()).toEqual({ shares: '2100000', usd: '21000.00' });

    // A cut to 100,000 and a new 1,000,000 in one batch: 1,700,000, under the threshold again.
    const e = trade(cp, shares(1_000_000));
    await screen([{ ...a, ...shares(100_000), version: 2, status: 'AMENDED' }, e]);
    expect((await rulesOf(e.tradeId)).rules).toEqual([]);
    expect(await totals()).toEqual({ shares: '1700000', usd: '17000.00' });

    // B cancelled (1,300,000), then 700,000 more crosses 2,000,000 again.
    const f = trade(cp, shares(700_000));
    await screen([{ ...b, version: 2, status: 'CANCELLED', cancelReason: 'booked in error' }, f]);
    expect((await rulesOf(f.tradeId)).rules).toEqual(['LARGE_TRADER']);
    expect(await totals()).toEqual({ shares: '2000000', usd: '20000.00' });

    // The totals are what the trades add up to.
    const [sum] = await db.query(`select sum(quantity)::text as shares from screened_trades where book = $1 and status <> 'CANCELLED'`, [book]);
    expect(sum.shares).toBe('2000000');
  });
});
