import { readKey } from './context';
import { penaltyTotals, type Balances } from './expected';
import type { ObservedBreak, ObservedDeadLetter, ObservedInstruction, ObservedReconciliation, ObservedState, ObservedTrade } from './diff';
import { inPool, SERVICE_NAMES, type RestClient } from './http';
import type { Scenario } from './scenario';

export interface SnapshotExtras {
  /** Fails of the run's instructions on the last day, with their age in business days. */
  fails: { instructionId: string; ageBusinessDays: number | null; counterpartyLei: string }[];
  tradeIds: Record<string, string>;
}

/** Reads what the platform holds for one run, through the REST APIs only. */
export async function readPlatformState(rest: RestClient, scenario: Scenario, asOf: string): Promise<{ observed: ObservedState; extras: SnapshotExtras }> {
  const trades: Record<string, ObservedTrade | null> = {};
  for (const t of scenario.trades) trades[t.sourceTradeId] = null;
  const captured = await rest.all<any>('trade-capture', `/api/v1/trades?sourceSystem=${scenario.sourceSystem}`, readKey());
  for (const t of captured) {
    trades[t.sourceTradeId] = {
      tradeId: t.tradeId,
      status: t.status,
      version: t.version,
      quantity: t.quantity,
      price: t.price,
      netAmount: t.netAmount,
      settlementDate: t.settlementDate,
    };
  }
  const known = Object.entries(trades).filter((e): e is [string, ObservedTrade] => e[1] !== null);
  const sourceOf = new Map(known.map(([source, t]) => [t.tradeId, source]));

  const matches: ObservedState['matches'] = {};
  const decisions: ObservedState['decisions'] = {};
  await inPool(known, 8, async ([source, t]) => {
    const match = await rest.call('confirmation-matching', 'GET', `/api/v1/matches/by-trade/${t.tradeId}`, { key: readKey() });
    matches[source] = match.status === 200 ? { status: match.body.status, breakCodes: (match.body.breaks ?? []).map((b: { reasonCode: number }) => b.reasonCode) } : null;
    const decision = await rest.call('compliance', 'GET', `/api/v1/decisions/by-trade/${t.tradeId}`, { key: readKey() });
    decisions[source] = decision.status === 200 ? { outcome: decision.body.outcome, tradeVersion: decision.body.tradeVersion } : null;
  });

  const instructions: Record<string, ObservedInstruction[]> = {};
  const counterparties = [...new Set(scenario.trades.map((t) => t.versions[t.versions.length - 1].terms.counterpartyLei))];
  await inPool(counterparties, 6, async (lei) => {
    const items = await rest.all<any>('settlement', `/api/v1/instructions?counterpartyLei=${lei}`, readKey());
    for (const i of items) {
      for (const tradeId of i.tradeIds as string[]) {
        const source = sourceOf.get(tradeId);
        if (!source) continue;
        (instructions[source] ??= []).push({
          instructionId: i.instructionId,
          processingStatus: i.processingStatus,
          matchingStatus: i.matchingStatus,
          settlementStatus: i.settlementStatus,
          settledQuantity: i.settledQuantity,
          settledAmount: i.settledAmount,
          quantity: i.quantity,
          settlementAmount: i.settlementAmount,
          intendedSettlementDate: i.intendedSettlementDate,
          holds: i.holds ?? [],
          custodian: { hold: i.custodian?.hold ?? null, cancellation: i.custodian?.cancellation ?? null, statusReason: i.custodian?.statusReason ?? null },
          exceptions: (i.exceptions ?? []).map((e: { code: string }) => e.code),
          reported: (i.history ?? []).flatMap((h: { event: string }) => (h.event.startsWith('custodian reported ') ? [h.event.slice('custodian reported '.length)] : [])),
        });
      }
    }
  });

  const books = [...new Set(scenario.trades.flatMap((t) => t.versions.map((v) => v.terms.book)))].sort();
  const balances = async (path: 'positions' | 'cash-balances', basis: string): Promise<Balances> => {
    const out: Balances = {};
    await inPool(books, 4, async (book) => {
      const items = await rest.all<any>('ledger', `/api/v1/${path}?book=${encodeURIComponent(book)}&basis=${basis}&asOf=${asOf}`, readKey());
      for (const item of items) (out[book] ??= {})[path === 'positions' ? item.isin : item.currency] = path === 'positions' ? item.quantity : item.amount;
    });
    return out;
  };
  const positions = { TRADE_DATE: await balances('positions', 'TRADE_DATE'), SETTLEMENT_DATE: await balances('positions', 'SETTLEMENT_DATE') };
  const cash = { TRADE_DATE: await balances('cash-balances', 'TRADE_DATE'), SETTLEMENT_DATE: await balances('cash-balances', 'SETTLEMENT_DATE') };

  const penalties: ObservedState['penalties'] = [];
  const tradeOfInstruction = new Map(Object.entries(instructions).flatMap(([source, list]) => list.map((i) => [i.instructionId, source] as const)));
  const { processingDays } = scenario.calendar;
  await inPool(counterparties, 6, async (lei) => {
    const items = await rest.all<any>('settlement', `/api/v1/penalties?counterpartyLei=${lei}&from=${processingDays[0]}&to=${asOf}`, readKey());
    for (const p of items) {
      penalties.push({
        sourceTradeId: tradeOfInstruction.get(p.instructionId) ?? null,
        instructionId: p.instructionId,
        counterpartyLei: p.counterpartyLei,
        date: p.date,
        amount: p.amount,
        currency: p.currency,
        direction: p.direction,
      });
    }
  });
  const penaltiesByCounterparty = penaltyTotals(penalties);

  const trial = await rest.expect([200], 'ledger', 'GET', `/api/v1/trial-balance?asOf=${asOf}`, { key: readKey() });
  const trialBalance = (trial.items ?? []).map((i: { asset: string; difference: string }) => ({ asset: i.asset, difference: i.difference }));

  const deadLetters: ObservedDeadLetter[] = [];
  for (const service of SERVICE_NAMES) {
    const letters = await rest.all<any>(service, '/api/v1/dead-letters', readKey());
    for (const letter of letters) {
      const text = `${letter.key ?? ''} ${letter.payload ?? ''} ${letter.error ?? ''}`;
      if (!text.includes(scenario.runTag)) continue;
      let sourceTradeId: string | null = null;
      let version: number | null = null;
      try {
        const payload = JSON.parse(letter.payload);
        sourceTradeId = typeof payload.sourceTradeId === 'string' ? payload.sourceTradeId : null;
        version = typeof payload.version === 'number' ? payload.version : null;
      } catch {
        // not JSON: reported as it is
      }
      deadLetters.push({ service, id: letter.id, topic: letter.topic, error: letter.error ?? '', sourceTradeId, version });
    }
  }

  const fails: SnapshotExtras['fails'] = [];
  const mine = new Set(Object.values(instructions).flat().map((i) => i.instructionId));
  const failItems = await rest.all<any>('settlement', `/api/v1/fails?asOf=${scenario.calendar.lastDay}`, readKey());
  for (const f of failItems) {
    if (mine.has(f.instructionId)) fails.push({ instructionId: f.instructionId, ageBusinessDays: f.ageInBusinessDays ?? null, counterpartyLei: f.counterpartyLei });
  }

  const reconciliation = await readReconciliation(rest, scenario, instructions);

  return {
    observed: { trades, matches, decisions, instructions, positions, cash, penaltiesByCounterparty, penalties, trialBalance, deadLetters, reconciliation },
    extras: { fails, tradeIds: Object.fromEntries(known.map(([source, t]) => [source, t.tradeId])) },
  };
}

/**
 * What reconciliation holds for the run's accounts (our SSIs' safekeeping and cash accounts, and
 * the source system for the blotters): the open breaks, each keyed as the expected state keys it
 * (a TRANSACTION break on an instruction by the trade it settles), and the latest reconciliation
 * of each account, type and date. Nothing when the run planned no reconciliation.
 */
async function readReconciliation(rest: RestClient, scenario: Scenario, instructions: Record<string, ObservedInstruction[]>): Promise<ObservedReconciliation | undefined> {
  const ours = new Set(scenario.legalEntities.map((l) => l.lei));
  const ssis = scenario.ssis.filter((s) => ours.has(s.lei));
  if (ssis.length === 0) return undefined;
  const accounts = [...new Set([...ssis.flatMap((s) => [s.safekeepingAccount, s.cashAccount]), scenario.sourceSystem])].sort();
  const tradeOfInstruction = new Map(Object.entries(instructions).flatMap(([source, list]) => list.map((i) => [i.instructionId, source] as const)));
  const breaks: ObservedBreak[] = [];
  const runs: ObservedReconciliation['runs'] = [];
  await inPool(accounts, 4, async (account) => {
    const open = await rest.all<any>('reconciliation', `/api/v1/breaks?account=${encodeURIComponent(account)}&status=OPEN`, readKey());
    for (const b of open) {
      const key: Record<string, string> = b.key ?? {};
      breaks.push({
        breakId: b.breakId,
        type: b.type,
        account: b.account,
        key: normalisedBreakKey(b.type, key, tradeOfInstruction),
        reason: b.reason,
        asOf: b.asOf,
        firstSeen: b.firstSeen,
        difference: b.difference ?? null,
        fields: (b.fields ?? []).map((f: { field: string }) => f.field),
      });
    }
    const summaries = await rest.all<any>('reconciliation', `/api/v1/reconciliations?account=${encodeURIComponent(account)}`, readKey());
    for (const r of summaries) {
      runs.push({ type: r.type, account: r.account, asOf: r.asOf, statementId: r.statementId, linesCompared: r.linesCompared, matched: r.matched, openBreaks: r.openBreaks });
    }
  });
  breaks.sort((a, b) => a.type.localeCompare(b.type) || a.account.localeCompare(b.account) || a.key.localeCompare(b.key));
  runs.sort((a, b) => a.asOf.localeCompare(b.asOf) || a.account.localeCompare(b.account) || a.type.localeCompare(b.type));
  return { breaks, runs };
}

/** `isin:<ISIN>`, `currency:<CCY>`, `trade:<sourceTradeId>` (a TRADE break, or a TRANSACTION break on the trade's instruction), `reference:<ref>`. */
export function normalisedBreakKey(type: string, key: Record<string, string>, tradeOfInstruction: ReadonlyMap<string, string>): string {
  if (key.isin !== undefined) return `isin:${key.isin}`;
  if (key.currency !== undefined) return `currency:${key.currency}`;
  if (type === 'TRANSACTION' && key.instructionId !== undefined) {
    const source = tradeOfInstruction.get(key.instructionId);
    return source ? `trade:${source}` : `instruction:${key.instructionId}`;
  }
  if (key.reference !== undefined) return `reference:${key.reference}`;
  if (key.sourceTradeId !== undefined) return `trade:${key.sourceTradeId}`;
  return Object.entries(key).map(([k, v]) => `${k}:${v}`).join(',');
}
