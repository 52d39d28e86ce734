import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ledgerDatabase } from '../src/persistence/ledger.database';

/**
 * A bank books every trade's cash through one house account per currency: if each batch's postings
 * moved the same `daily_balances` row, every batch of every partition would wait for the one before
 * it to commit. Two transactions posting to the same account and day must not wait for each other.
 */
describe('daily balances without a hot row (real Postgres)', () => {
  const hot = `house:slot-test-${randomUUID().slice(0, 8)}:cash`;
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`set search_path = ${ledgerDatabase.schema}`);
    clients.push(client);
    return client;
  }

  afterAll(async () => {
    for (const client of clients) await client.end();
  });

  /** One balanced entry: +1 USD on the hot account against an account of its own; returns the transaction's slot. */
  async function post(client: Client, own: string): Promise<void> {
    const entryId = randomUUID();
    await client.query(
      `insert into journal_entries (entry_id, event_id, event_part, event_type, effective_date, posted_at, hash, chain_id, chain_sequence)
       values ($1, $2, 0, 'test.slot', '2026-11-20', now(), 'x', $3, 1)`,
      [entryId, randomUUID(), `slot-test-${entryId}`],
    );
    await client.query(`insert into postings (entry_id, leg, account, asset, amount) values ($1, 1, $2, 'USD', 1), ($1, 2, $3, 'USD', -1)`, [entryId, hot, own]);
  }

  const slotOf = async (client: Client): Promise<number> => Number((await client.query('select txid_current() % 16 as slot')).rows[0].slot);

  it('lets a second transaction post to the same account and day while the first is still open', async () => {
    const [setup, first, second] = [await connect(), await connect(), await connect()];
    const own = [`${hot}:a`, `${hot}:b`];
    await setup.query(`insert into accounts (code, owner_kind, holder, kind) values ($1, 'HOUSE', 'slot-test', 'CASH_SETTLED'), ($2, 'HOUSE', 'slot-test', 'CASH_SETTLED'), ($3, 'HOUSE', 'slot-test', 'CASH_SETTLED')`, [hot, ...own]);

    await first.query('begin');
    const firstSlot = await slotOf(first);
    await post(first, own[0]);

    // The second transaction takes a slot of its own (a shared one is the 1-in-16 case that waits).
    let secondSlot = firstSlot;
    while (secondSlot === firstSlot) {
      await second.query('rollback');
      await second.query('begin');
      await second.query(`set local lock_timeout = '2s'`);
      secondSlot = await slotOf(second);
    }
    await post(second, own[1]);
    await second.query('commit');
    await first.query('commit');

    const { rows } = await setup.query(`select count(*)::int as rows, sum(movement)::text as balance from daily_balances where account = $1`, [hot]);
    expect(rows[0]).toEqual({ rows: 2, balance: '2' });
  });
});
