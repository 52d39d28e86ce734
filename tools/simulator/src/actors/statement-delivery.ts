import { Decimal } from '@postrade/kernel';
import { EventTypes, Topics } from '@postrade/contracts';
import { renderBlotterCsv, renderBlotterJson, renderStatementCsv, renderStatementJson, renderStatementXml, type Blotter, type Statement } from '../reconciliation-formats';
import { Keys, readKey, type SimulationContext } from '../context';
import { inPool, pollUntil } from '../http';
import type { PlannedStatement } from '../reconciliation-plan';
import { cashOf, holdingsOf, type BlotterForm, type CustodianMovement, type OurAccount, type StatementForm } from '../statements';

/** Reconciliation's consumer group for our side (trades, ledger and settlement events). */
export const RECONCILIATION_BOOKS_GROUP = 'reconciliation';

/** What reconciliation answered for a statement or blotter sent by REST (none for one sent on Kafka). */
export interface DeliveryResult {
  lines: number;
  matched: number;
  breaksOpened: number;
  breaksClosed: number;
}

/** One statement or blotter sent, for the report. */
export interface Delivery {
  id: string;
  /** HOLDINGS, TRANSACTIONS, CASH or BLOTTER. */
  type: string;
  form: StatementForm | BlotterForm;
  account: string;
  asOf: string;
  lines: number;
  result: DeliveryResult | null;
  error: string | null;
}

function resultOf(body: unknown): DeliveryResult | null {
  const b = body as Partial<DeliveryResult> | null;
  if (!b || typeof b !== 'object') return null;
  return { lines: Number(b.lines), matched: Number(b.matched), breaksOpened: Number(b.breaksOpened), breaksClosed: Number(b.breaksClosed) };
}

/**
 * Sends one statement the way it is planned: ISO 20022 XML, JSON or CSV to `POST /statements`
 * (201, or 200 for the same statement again after a lost answer), or the JSON form on
 * `statements.inbound.v1` with CloudEvents headers (no answer: applied later by the consumer).
 */
export async function sendStatement(context: SimulationContext, form: StatementForm, statement: Statement): Promise<DeliveryResult | null> {
  const { rest, sender } = context;
  switch (form) {
    case 'KAFKA':
      await sender.send([sender.message(Topics.statementsInbound, EventTypes.statementReceived, statement.account, renderStatementJson(statement))]);
      return null;
    case 'XML':
      return resultOf(await rest.expect([200, 201], 'reconciliation', 'POST', '/api/v1/statements', { key: Keys.custodian, text: { contentType: 'application/xml', value: renderStatementXml(statement) } }));
    case 'CSV': {
      const query = new URLSearchParams({ type: statement.type, account: statement.account, asOf: statement.asOf, statementId: statement.statementId });
      return resultOf(await rest.expect([200, 201], 'reconciliation', 'POST', `/api/v1/statements?${query}`, { key: Keys.custodian, text: { contentType: 'text/csv', value: renderStatementCsv(statement) } }));
    }
    case 'JSON':
      return resultOf(await rest.expect([200, 201], 'reconciliation', 'POST', '/api/v1/statements', { key: Keys.custodian, body: renderStatementJson(statement) }));
  }
}

/** Sends the OMS's blotter to `POST /blotters` as JSON or as CSV. */
export async function sendBlotter(context: SimulationContext, form: BlotterForm, blotter: Blotter): Promise<DeliveryResult | null> {
  const { rest } = context;
  if (form === 'CSV') {
    const query = new URLSearchParams({ sourceSystem: blotter.sourceSystem, tradeDate: blotter.tradeDate });
    return resultOf(await rest.expect([200, 201], 'reconciliation', 'POST', `/api/v1/blotters?${query}`, { key: Keys.upstream, text: { contentType: 'text/csv', value: renderBlotterCsv(blotter) } }));
  }
  return resultOf(await rest.expect([200, 201], 'reconciliation', 'POST', '/api/v1/blotters', { key: Keys.upstream, body: renderBlotterJson(blotter) }));
}

/** Non-zero balances of a `{ items: [{ <key>, <value> }] }` answer, as decimal strings by key. */
function balances(items: { [field: string]: string }[], key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) if (!new Decimal(item[value]).isZero()) out[item[key]] = item[value];
  return out;
}

function nonZero(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => !new Decimal(v).isZero()));
}

/** Where two balance sets differ, as `key ours→theirs`. */
function balanceDifferences(ours: Record<string, string>, theirs: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort()) {
    const o = ours[key] ?? '0';
    const t = theirs[key] ?? '0';
    if (!new Decimal(o).equals(t)) out.push(`${key} reconciliation ${o}, custodian ${t}`);
  }
  return out;
}

/**
 * Waits until reconciliation's view of our books (`GET /our-books/positions` and `/our-books/cash`
 * as of `day`) equals the custodian's books for every account: the ledger entries of the day's
 * settlements have reached it. Returns what still differs at the deadline (none when booked).
 */
export async function awaitBooked(context: SimulationContext, day: string, accounts: readonly OurAccount[], movements: readonly CustodianMovement[], timeoutMs: number): Promise<string[]> {
  type Check = { path: string; account: string; theirs: Record<string, string>; key: string; value: string };
  const checks: Check[] = accounts.flatMap((a) => [
    { path: 'positions', account: a.safekeepingAccount, theirs: holdingsOf(movements, a.safekeepingAccount, day), key: 'isin', value: 'quantity' },
    { path: 'cash', account: a.cashAccount, theirs: nonZero(cashOf(movements, a.cashAccount, a.currency, day)), key: 'currency', value: 'amount' },
  ]);
  const pending = new Map(checks.map((c) => [`${c.path} ${c.account}`, [] as string[]]));
  await pollUntil(async () => {
    await inPool(checks.filter((c) => pending.has(`${c.path} ${c.account}`)), 4, async (c) => {
      const query = new URLSearchParams({ account: c.account, asOf: day });
      const answer = await context.rest.call('reconciliation', 'GET', `/api/v1/our-books/${c.path}?${query}`, { key: readKey() });
      if (answer.status !== 200) {
        pending.set(`${c.path} ${c.account}`, [`answered ${answer.status}`]);
        return;
      }
      const differences = balanceDifferences(balances(answer.body.items, c.key, c.value), c.theirs);
      if (differences.length === 0) pending.delete(`${c.path} ${c.account}`);
      else pending.set(`${c.path} ${c.account}`, differences);
    });
    return pending.size === 0;
  }, timeoutMs, 300);
  return [...pending].map(([what, differences]) => `${what}: ${differences.slice(0, 4).join('; ')}${differences.length > 4 ? ` and ${differences.length - 4} more` : ''}`);
}

/**
 * Waits until reconciliation has applied each statement (`GET /reconciliations?account=&asOf=&type=`
 * names it): those sent on Kafka are applied by its consumer, after the answer-less send.
 */
export async function awaitStatementsApplied(context: SimulationContext, statements: readonly PlannedStatement[], timeoutMs: number): Promise<PlannedStatement[]> {
  const pending = new Set(statements);
  await pollUntil(async () => {
    await inPool([...pending], 4, async (s) => {
      const query = new URLSearchParams({ account: s.account, asOf: s.asOf, type: s.breakType });
      const answer = await context.rest.call('reconciliation', 'GET', `/api/v1/reconciliations?${query}`, { key: readKey() });
      if (answer.status === 200 && (answer.body.items ?? []).some((r: { statementId: string }) => r.statementId === s.statementId)) pending.delete(s);
    });
    return pending.size === 0;
  }, timeoutMs, 300);
  return [...pending];
}
