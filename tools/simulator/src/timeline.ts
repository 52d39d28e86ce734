import { confirmationDay } from './expected';
import type { Scenario, ScenarioTrade, TradeVersionPlan } from './scenario';

/** One thing the outside world does during a processing day, in the order it happens. */
export type DayAction =
  | { kind: 'NEW'; trade: ScenarioTrade; slot: number }
  | { kind: 'DUPLICATE'; trade: ScenarioTrade; slot: number }
  | { kind: 'AMEND'; trade: ScenarioTrade; version: TradeVersionPlan; slot: number }
  | { kind: 'STALE'; trade: ScenarioTrade; version: TradeVersionPlan; slot: number }
  | { kind: 'CANCEL'; trade: ScenarioTrade; slot: number }
  | { kind: 'CONFIRM'; trade: ScenarioTrade; slot: number }
  | { kind: 'SANCTIONS'; slot: number };

/**
 * The day's upstream and counterparty messages in order: the trades reported at their slots (NEW
 * paced at the offered rate), amendments, a stale amendment, intraday cancels, duplicates, the
 * confirmations (early ones before their trade), the late confirmations of the previous trade day
 * first thing, and the sanctions list mid-day. Pure: the same scenario gives the same order.
 */
export function dayTimeline(scenario: Scenario, processingDay: string): DayAction[] {
  const actions: DayAction[] = [];
  const dayIndex = scenario.calendar.tradeDays.indexOf(processingDay);
  for (const trade of scenario.trades) {
    if (trade.confirmation.timing === 'LATE' && trade.confirmation.body && confirmationDay(scenario, trade) === processingDay && trade.tradeDate !== processingDay) {
      actions.push({ kind: 'CONFIRM', trade, slot: -1 });
    }
    if (trade.dayIndex !== dayIndex) continue;
    actions.push({ kind: 'NEW', trade, slot: trade.slot });
    if (trade.duplicate !== 'NONE') actions.push({ kind: 'DUPLICATE', trade, slot: trade.slot + 0.1 });
    for (const version of trade.versions.slice(1)) actions.push({ kind: 'AMEND', trade, version, slot: version.slot });
    if (trade.stale) actions.push({ kind: 'STALE', trade, version: trade.stale, slot: trade.stale.slot });
    if (trade.cancel?.when === 'INTRADAY') actions.push({ kind: 'CANCEL', trade, slot: trade.cancel.slot });
    if (trade.confirmation.body && trade.confirmation.timing !== 'LATE') actions.push({ kind: 'CONFIRM', trade, slot: trade.confirmation.slot });
  }
  if (dayIndex === scenario.compliance.sanctions.dayIndex) actions.push({ kind: 'SANCTIONS', slot: scenario.compliance.sanctions.slot });
  const rank: Record<DayAction['kind'], number> = { CONFIRM: 0, SANCTIONS: 1, AMEND: 2, NEW: 3, DUPLICATE: 4, STALE: 5, CANCEL: 6 };
  return actions
    .map((action, order) => ({ action, order }))
    .sort((a, b) => a.action.slot - b.action.slot || rank[a.action.kind] - rank[b.action.kind] || a.order - b.order)
    .map((x) => x.action);
}
