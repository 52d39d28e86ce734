import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, type QueryRunner } from 'typeorm';
import { decodeTrade, EventTypes, Topics, toHeaders, type TradeResource, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually, freshLei } from '@postrade/testing';
import { ScreenTradeHandler, type ScreenTradeCommand } from '../src/application/screen-trade/screen-trade.command-handler';
import { ComplianceModule } from '../src/compliance.module';
import { screenedTradeOf } from '../src/messaging/trade-events.handler';

/**
 * A bank books through one legal entity and a few hundred counterparties of very different sizes:
 * every batch of every partition names the same few parties. Screening must not write or lock
 * those rows so that batches wait for each other in a cycle (the deadlock that wedged compliance).
 */
describe('compliance with one legal entity and skewed counterparties', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  const ourEntity = { lei: freshLei(), name: 'Our Bank AG', bic: 'DEUTDEFF' };
  const counterparties = Array.from({ length: 20 }, (_, i) => ({ lei: freshLei(), name: `Hotrow Counterparty ${String.fromCharCode(65 + i)} Securities`, bic: 'GSCMUS33XXX', country: 'US' }));
  const hotIsins = ['US0378331005', 'US5949181045', 'US88160R1014'];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ComplianceModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('compliance-hot-rows-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  /** Counterparty i of a Zipf-like book: the first few take most trades. */
  function skewedCounterparty(n: number): (typeof counterparties)[number] {
    const weights = counterparties.map((_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    let point = ((n * 7919) % 1000) / 1000 * total;
    for (const [i, w] of weights.entries()) {
      point -= w;
      if (point <= 0) return counterparties[i];
    }
    return counterparties[counterparties.length - 1];
  }

  function trade(n: number, book: string): TradeResource {
    const at = new Date().toISOString();
    const cp = skewedCounterparty(n);
    const ssi = { lei: ourEntity.lei, settlementMarket: 'US' as const, currency: 'USD', agentBic: 'CHASUS33', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DTCYUS33' };
    return {
      tradeId: randomUUID(),
      sourceSystem: 'OMS1',
      sourceTradeId: `HOT-${randomUUID()}`,
      version: 1,
      status: 'CAPTURED',
      tradeDate: '2026-11-20',
      executionTime: at,
      side: n % 2 === 0 ? 'BUY' : 'SELL',
      isin: hotIsins[n % hotIsins.length],
      quantity: String(100 + (n % 37)),
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
      book,
      instrument: { description: 'Equity', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: cp,
      legalEntity: ourEntity,
      ssis: { ours: ssi, theirs: { ...ssi, lei: cp.lei } },
      exceptions: [],
      cancelReason: null,
      createdAt: at,
      updatedAt: at,
    };
  }

  const command = (t: TradeResource): ScreenTradeCommand => ({ kind: 'captured', ...screenedTradeOf(decodeTrade(t)), causation: {} });

  async function openTransaction(lockTimeoutMs: number): Promise<QueryRunner> {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`set local lock_timeout = ${lockTimeoutMs}`);
    return runner;
  }

  it('lets a second batch naming the same legal entity and counterparties, in the opposite order, commit while the first is still open', async () => {
    const screening = app.get(ScreenTradeHandler);
    // Both parties known beforehand, as they are after the first trade of the day.
    const warmUp = await openTransaction(5_000);
    await screening.executeBatch([0, 1, 2, 3].map((n) => command(trade(n, 'WARMUP'))), warmUp.manager);
    await warmUp.commitTransaction();
    await warmUp.release();

    // Different books, so that the large-trader book-day (a lock every batch of one book takes
    // last, in order) is not what they share: the parties are.
    const first = [0, 1, 2, 3].map((n) => trade(n, 'BOOK-A'));
    const second = [3, 2, 1, 0].map((n) => trade(n, 'BOOK-B'));
    const a = await openTransaction(5_000);
    const b = await openTransaction(2_000);
    try {
      // As two partitions' batches: each appends to its own partition's audit chain.
      await screening.executeBatch(first.map(command), a.manager, 'test:a');
      // Under the old code this upserted the same legal-entity and counterparty rows and waited for
      // `a` until the lock timeout; now it never touches a row `a` holds exclusively.
      await screening.executeBatch(second.map(command), b.manager, 'test:b');
      await b.commitTransaction();
      await a.commitTransaction();
    } finally {
      if (b.isTransactionActive) await b.rollbackTransaction();
      if (a.isTransactionActive) await a.rollbackTransaction();
      await a.release();
      await b.release();
    }
    const decided: { n: number }[] = await db.query('select count(*)::int as n from decisions where trade_id = any($1::uuid[])', [[...first, ...second].map((t) => t.tradeId)]);
    expect(decided[0].n).toBe(8);
  });

  it('never rewrites a party it already knows while screening a trade', async () => {
    const screening = app.get(ScreenTradeHandler);
    const before: { xmin: string }[] = await db.query('select xmin::text from our_legal_entities where lei = $1', [ourEntity.lei]);
    const runner = await openTransaction(5_000);
    await screening.executeBatch([command(trade(5, 'BOOK-C'))], runner.manager);
    await runner.commitTransaction();
    await runner.release();
    const after: { xmin: string }[] = await db.query('select xmin::text from our_legal_entities where lei = $1', [ourEntity.lei]);
    expect(after).toEqual(before);
  });

  it('decides a burst of 2,000 trades for one legal entity and 20 skewed counterparties on every partition, without a deadlock', async () => {
    const deadlocksBefore = await deadlocks();
    const burst = Array.from({ length: 2_000 }, (_, n) => trade(n, `EQ${n % 3}`));
    for (let start = 0; start < burst.length; start += 500) {
      await publisher.send(
        burst.slice(start, start + 500).map((t) => ({
          topic: Topics.tradeCaptureTrades,
          key: t.tradeId,
          value: JSON.stringify(t),
          headers: toHeaders({ id: randomUUID(), source: sourceFor(Topics.tradeCaptureTrades), type: EventTypes.tradeCaptured, time: new Date().toISOString(), subject: t.tradeId, data: t }),
        })),
      );
    }
    const ids = burst.map((t) => t.tradeId);
    await eventually(
      () => db.query('select count(*)::int as n from decisions where trade_id = any($1::uuid[])', [ids]) as Promise<{ n: number }[]>,
      (rows) => rows[0].n === burst.length,
      240_000,
      'every trade of the burst decided',
    );
    expect(await deadlocks()).toBe(deadlocksBefore);
  }, 300_000);

  /** Deadlocks Postgres detected in this database since it started. */
  async function deadlocks(): Promise<number> {
    const rows: { deadlocks: string }[] = await db.query('select deadlocks::text from pg_stat_database where datname = current_database()');
    return Number(rows[0].deadlocks);
  }
});
