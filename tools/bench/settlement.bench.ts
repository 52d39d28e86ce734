/**
 * Settlement benchmark: the application layer driven directly, in one process, against the real
 * Postgres (events go to the outbox; no broker is needed). Nothing here asserts a timing.
 *
 *   BENCH_SETTLEMENT_UPDATES (default 2,000): custodian status updates applied one per transaction,
 *     as the REST endpoint applies them, by BENCH_SETTLEMENT_CONCURRENCY (default 4) callers.
 *   BENCH_SETTLEMENT_INSTRUCTIONS (default 100,000): open instructions failing at the end-of-day
 *     close, each with a penalty to assess (EU, liquid shares, a reference price on file).
 *
 * It uses a schema of its own (`settlement_bench`) so that it never touches the service's data.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Outbox, ParkingLot } from '@postrade/messaging';
import { bootstrapServiceDatabase, createServiceDataSource, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';
import { ApplyStatusUpdateHandler } from '../../apps/settlement/src/application/apply-status-update/apply-status-update.command-handler';
import { CloseSettlementDayHandler } from '../../apps/settlement/src/application/close-settlement-day/close-settlement-day.command-handler';
import { InstructionEvents } from '../../apps/settlement/src/application/instruction-resource';
import { InstructionRepository } from '../../apps/settlement/src/persistence/instruction.repository';
import { PenaltyRepository } from '../../apps/settlement/src/persistence/penalty.repository';
import { ReferenceRepository } from '../../apps/settlement/src/persistence/reference.repository';
import { settlementDatabase } from '../../apps/settlement/src/persistence/settlement.database';
import { StatusUpdateRepository } from '../../apps/settlement/src/persistence/status-update.repository';

const benchDatabase: ServiceDatabase = { ...settlementDatabase, service: 'settlement-bench', schema: 'settlement_bench', role: 'settlement_bench_svc' };
const ISD = '2026-11-26';
const CLOSE_DAY = '2026-11-27';
/** Instructions of the status-update phase settle later, so the close does not see them. */
const LATER_ISD = '2026-12-30';
const ISIN = 'DE0007164600';

const perSecond = (count: number, ms: number) => `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;

/** Open, instructed instructions made set-based (the gate that normally makes them is not what is measured). */
async function seedInstructions(tx: TransactionRunner, count: number, isd: string, failingParty: 'US' | 'COUNTERPARTY' | null): Promise<string[]> {
  return tx.run(async (em) => {
    const rows: { instruction_id: string }[] = await em.query(
      `with made as (
         insert into instructions (instruction_id, reference, type, direction, cash_direction, isin, quantity, settlement_amount, accrued_interest, currency,
           intended_settlement_date, settlement_market, counterparty_lei, legal_entity_lei, csdr_category, price_type, netted,
           our_agent_bic, our_safekeeping_account, our_cash_account, our_place_of_settlement,
           their_agent_bic, their_safekeeping_account, their_cash_account, their_place_of_settlement,
           processing_status, matching_status, settlement_status, failing, failing_party, fail_reason_code)
         select id, upper(replace(id::text, '-', '')), 'DVP', 'RECEIVE', 'PAY', $1, 1000 + n % 500, (1000 + n % 500) * 101.25, 0, 'EUR', $2::date, 'EU',
                '5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55', 'LIQUID_SHARE', 'UNIT', false,
                'DEUTDEFFXXX', 'SK-OURS', 'C-OURS', 'DAKVDEFFXXX', 'CHASDEFXXXX', 'SK-THEIRS', 'C-THEIRS', 'DAKVDEFFXXX',
                'INSTRUCTED', 'MATCHED', case when $4::text is null then 'PENDING' else 'FAILING' end, $4::text is not null, $4::text,
                case $4::text when 'US' then 'LACK' when 'COUNTERPARTY' then 'CLAC' end
           from (select n, gen_random_uuid() as id from generate_series(1, $3::int) n) g
         returning instruction_id)
       select instruction_id from made`,
      [ISIN, isd, count, failingParty],
    );
    await em.query(
      `insert into instruction_trades (instruction_id, trade_id) select instruction_id, gen_random_uuid() from unnest($1::uuid[]) as instruction_id`,
      [rows.map((r) => r.instruction_id)],
    );
    return rows.map((r) => r.instruction_id);
  });
}

/** `adminUrl`: a superuser URL of the Postgres server to run against (default DATABASE_URL). */
export async function benchSettlement(adminUrl: string | undefined = process.env.DATABASE_URL): Promise<Record<string, string>> {
  if (!adminUrl) throw new Error('DATABASE_URL must name the Postgres server to benchmark against');
  // The service's own URLs are derived from DATABASE_URL.
  const env = { ...process.env, DATABASE_URL: adminUrl };
  const updates = Number(process.env.BENCH_SETTLEMENT_UPDATES ?? 2000);
  const concurrency = Number(process.env.BENCH_SETTLEMENT_CONCURRENCY ?? 4);
  const instructionsToClose = Number(process.env.BENCH_SETTLEMENT_INSTRUCTIONS ?? 100_000);

  // A fresh schema each run (the runtime role may not truncate).
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop schema if exists ${benchDatabase.schema} cascade`);
  await admin.end();
  await bootstrapServiceDatabase(adminUrl, benchDatabase, env);
  const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env), poolSize: concurrency + 2 });
  await dataSource.initialize();
  try {
    const tx = new TransactionRunner(dataSource);
    const instructions = new InstructionRepository();
    const outbox = new Outbox('settlement-bench', benchDatabase.schema);
    const events = new InstructionEvents(instructions, outbox);
    const parking = new ParkingLot({ consumer: 'settlement-bench', dlqTopic: 'settlement-bench.dlq.v1', outbox });
    const statusUpdates = new ApplyStatusUpdateHandler(tx, instructions, new StatusUpdateRepository(), events, parking);
    const closing = new CloseSettlementDayHandler(tx, dataSource.manager, new PenaltyRepository(), new ReferenceRepository(), events);

    // Status updates: two partial settlements per instruction, each its own transaction with its event.
    const targets = await seedInstructions(tx, Math.ceil(updates / 2), LATER_ISD, null);
    const work = targets.flatMap((id) => [0, 1].map((k) => ({ id, k }))).slice(0, updates);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < work.length) {
          const { id, k } = work[next++];
          await statusUpdates.applyNow(id, { updateId: `B-${k}`, status: 'PARTIALLY_SETTLED', settledQuantity: '100', settledAmount: '10125.00', effectiveDate: ISD });
        }
      }),
    );
    const updateMs = Date.now() - started;

    // End-of-day close of N open instructions, every one failing with a penalty to assess.
    await seedInstructions(tx, instructionsToClose, ISD, 'COUNTERPARTY');
    const [{ n: eventsBefore }] = await dataSource.query('select count(*)::int as n from outbox');
    await dataSource.query(`insert into reference_prices (isin, date, price, currency) values ($1, $2, '101.25', 'EUR') on conflict (isin, date) do update set price = excluded.price`, [
      ISIN,
      CLOSE_DAY,
    ]);
    const closeStarted = Date.now();
    const close = await closing.close(CLOSE_DAY, `bench-${randomUUID()}`);
    const closeMs = Date.now() - closeStarted;
    const againStarted = Date.now();
    const again = await closing.close(CLOSE_DAY, 'bench-again');
    const againMs = Date.now() - againStarted;
    const [{ n: eventsAfter }] = await dataSource.query('select count(*)::int as n from outbox');
    const outboxRows = eventsAfter - eventsBefore;

    return {
      'status updates applied (one per transaction)': `${perSecond(work.length, updateMs)} (${work.length} updates, ${concurrency} callers)`,
      [`end-of-day close of ${instructionsToClose.toLocaleString('en-US')} open instructions`]: `${(closeMs / 1000).toFixed(2)} s, ${close.failDays} fail days, ${outboxRows} events`,
      'penalties assessed': `${perSecond(close.penaltiesAssessed, closeMs)} (${close.penaltiesAssessed})`,
      'closing the same day again (nothing new)': `${(againMs / 1000).toFixed(2)} s, ${again.penaltiesAssessed} penalties`,
    };
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  benchSettlement().then(
    (figures) => {
      for (const [label, value] of Object.entries(figures)) process.stdout.write(`  ${label.padEnd(52)} ${value}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
