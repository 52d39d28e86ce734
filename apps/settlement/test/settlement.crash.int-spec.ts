import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventTypes, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher } from '@postrade/messaging';
import { eventually, spawnTs, type TsProcess } from '@postrade/testing';

const TRADES = 40;
const OUR_LEI = '529900T8BM49AURSDO55';
const SSI = { settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DAKVDEFFXXX' };

/**
 * The settlement process is killed with SIGKILL while it gates a stream of trades, then started
 * again: every trade ends with exactly one instruction and one `instructed` event.
 */
describe('settlement killed mid-stream', () => {
  let db: Client;
  let publisher: KafkajsEventPublisher;
  let service: TsProcess | undefined;

  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    publisher = new KafkajsEventPublisher(kafkaConnectionFromEnv('settlement-crash-test'));
  });

  afterAll(async () => {
    await service?.kill('SIGKILL');
    await publisher?.disconnect();
    await db?.end();
  });

  const start = async () => {
    const proc = spawnTs('apps/settlement/src/main.ts', { PORT: '13993', POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'info' });
    await proc.waitForLine(/"url"/, 90_000);
    return proc;
  };

  async function publish(topic: string, type: string, key: string, data: object): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
  }

  const instructed = async (tradeIds: string[]) =>
    (
      await db.query(
        `select t.trade_id, count(distinct it.instruction_id)::int as instructions,
                (select count(*)::int from settlement.outbox o where o.event_type = $2 and o.message_key = any(array_agg(it.instruction_id::text))) as events
           from unnest($1::uuid[]) as t (trade_id)
           left join settlement.instruction_trades it on it.trade_id = t.trade_id
          group by t.trade_id`,
        [tradeIds, EventTypes.settlementInstructed],
      )
    ).rows as { trade_id: string; instructions: number; events: number }[];

  it('instructs every trade exactly once after a SIGKILL and a restart', async () => {
    const cp = `CRASH${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}00`;
    const tradeIds = Array.from({ length: TRADES }, () => randomUUID());
    service = await start();
    for (const tradeId of tradeIds) {
      const trade = {
        tradeId, sourceSystem: 'OMS1', sourceTradeId: tradeId, version: 1, status: 'CAPTURED', tradeDate: '2026-11-24', executionTime: null,
        side: 'SELL', isin: 'DE0007164600', quantity: '10', price: '100', currency: 'EUR', grossAmount: '1000.00', accruedInterest: '0.00', accruedDays: 0,
        commission: '0', fees: '0', netAmount: '1000.00', settlementDate: '2026-12-02', settlementCycle: 'T+2', settlementMarket: 'EU', settlementType: 'DVP',
        book: 'EQ1', instrument: { description: 'SAP SE', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
        counterparty: { lei: cp, name: 'Crash Broker', bic: 'CHASDEFXXXX', country: 'DE' }, legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
        ssis: { ours: { ...SSI, lei: OUR_LEI }, theirs: { ...SSI, lei: cp } }, exceptions: [], cancelReason: null,
        createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z',
      };
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, tradeId, trade);
      await publish(Topics.matchingResults, EventTypes.matchAffirmed, tradeId, { tradeId, confirmationId: 'C', senderLei: cp, status: 'AFFIRMED', breaks: [], profile: 'default', updatedAt: new Date().toISOString() });
      await publish(Topics.complianceDecisions, EventTypes.complianceCleared, tradeId, { tradeId, tradeVersion: 1, outcome: 'CLEARED', alerts: [] });
    }
    await eventually(() => instructed(tradeIds), (rows) => rows.some((r) => r.instructions > 0), 60_000, 'first instructions');
    await service.kill('SIGKILL');

    service = await start();
    const rows = await eventually(() => instructed(tradeIds), (r) => r.every((t) => t.instructions >= 1), 120_000, 'every trade instructed');
    expect(rows.filter((r) => r.instructions !== 1 || r.events !== 1)).toEqual([]);
  }, 300_000);
});
