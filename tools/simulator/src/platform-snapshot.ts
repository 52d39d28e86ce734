import { readKey } from './context';
import { penaltyTotals, type Balances } from './expected';
import type { ObservedDeadLetter, ObservedInstruction, ObservedState, ObservedTrade } from './diff';
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

  return {
    observed: { trades, matches, decisions, instructions, positions, cash, penaltiesByCounterparty, penalties, trialBalance, deadLetters },
    extras: { fails, tradeIds: Object.fromEntries(known.map(([source, t]) => [source, t.tradeId])) },
  };
}
