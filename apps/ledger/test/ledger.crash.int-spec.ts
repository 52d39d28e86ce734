import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventTypes, Topics, toHeaders } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher } from '@postrade/messaging';
import { eventually, spawnTs } from '@postrade/testing';

const TRADES = 1500;

/** A captured trade as trade-capture publishes it (the whole resource: the ledger decodes it whole). */
function captured(tradeId: string, book: string) {
  return {
    tradeId,
    sourceSystem: 'OMS1',
    sourceTradeId: `T-${tradeId.slice(0, 8)}`,
    version: 1,
    status: 'CAPTURED',
    tradeDate: '2026-11-20',
    executionTime: '2026-11-20T14:30:05.123Z',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: '10',
    price: '189.25',
    currency: 'USD',
    grossAmount: '1892.50',
    accruedInterest: '0.00',
    accruedDays: 0,
    commission: '0.00',
    fees: '0.00',
    netAmount: '1892.50',
    settlementDate: '2026-11-23',
    settlementCycle: 'T+1',
    settlementMarket: 'US',
    settlementType: 'DVP',
    book,
    instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
    legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
    ssis: { ours: null, theirs: null },
    createdAt: '2026-11-20T15:00:00.000Z',
    updatedAt: '2026-11-20T15:00:00.000Z',
  };
}

describe('ledger process killed with SIGKILL while booking', () => {
  let admin: Client;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('set search_path = ledger');
    publisher = new KafkajsEventPublisher(kafkaConnectionFromEnv('ledger-crash-test'));
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await admin?.end();
  });

  it('books every event exactly once after a restart', async () => {
    const book = `CRASH-${randomUUID().slice(0, 8)}`;
    const tradeIds = Array.from({ length: TRADES }, () => randomUUID());
    await publisher.send(
      tradeIds.map((tradeId) => {
        const data = captured(tradeId, book);
        const headers = toHeaders({ id: randomUUID(), source: 'trade-capture', type: EventTypes.tradeCaptured, time: new Date().toISOString(), subject: tradeId, data });
        return { topic: Topics.tradeCaptureTrades, key: tradeId, value: JSON.stringify(data), headers };
      }),
    );
    const booked = async () => (await admin.query('select count(*)::int as n from booked_trades where book = $1', [book])).rows[0].n as number;

    // Killed as soon as the first batch committed (in trials, with some 250 of 1,500 booked).
    const first = spawnTs('apps/ledger/src/main.ts', { PORT: '13014', POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'info' });
    try {
      await eventually(booked, (n) => n > 0, 90_000, 'booking started');
    } finally {
      await first.kill('SIGKILL');
    }

    const second = spawnTs('apps/ledger/src/main.ts', { PORT: '13014', POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'info' });
    try {
      await eventually(booked, (n) => n === TRADES, 120_000, 'every trade booked after the restart');
    } finally {
      await second.kill('SIGTERM');
    }

    const { rows } = await admin.query(
      `select count(*)::int as entries, count(distinct event_id)::int as events, count(distinct trade_id)::int as trades
         from journal_entries where trade_id = any($1::uuid[])`,
      [tradeIds],
    );
    expect(rows[0]).toEqual({ entries: TRADES, events: TRADES, trades: TRADES });
    const { rows: position } = await admin.query(
      `select sum(b.movement)::text as quantity from daily_balances b join accounts a on a.code = b.account
        where a.owner_kind = 'BOOK' and a.holder = $1 and b.asset = 'US0378331005'`,
      [book],
    );
    expect(position[0].quantity).toBe(String(TRADES * 10));
  });
});
