import { Decimal, toDecimalString } from '@postrade/kernel';
import type { AlertRule } from '@postrade/contracts';
import { isInForceOn, type RestrictedListEntry } from './restricted-list';
import type { ScreenedTrade } from './screened-trade';
import type { SanctionsMatch } from './sanctions/sanctions-index';

/** HIGH alerts hold the trade; MEDIUM alerts are for review and let it clear. */
export type AlertSeverity = 'HIGH' | 'MEDIUM';

/** An alert a check raises, before it is stored under an id. */
export interface AlertDraft {
  rule: AlertRule;
  severity: AlertSeverity;
  /** What the check saw: the list entry, the score, the limit and exposure, the other trade, … */
  details: Record<string, unknown>;
}

export const WASH_TRADE_WINDOW_SECONDS = 300;
/** 0.1 %: prices this close are the "same" price for a wash trade. */
export const WASH_TRADE_PRICE_TOLERANCE = new Decimal('0.001');
/** SEC rule 13h-1 identifying activity, per book and trade date. */
export const LARGE_TRADER_SHARES = new Decimal('2000000');
export const LARGE_TRADER_USD_NOTIONAL = new Decimal('20000000');

/** CLEARED unless an alert holds the trade. */
export function outcomeOf(alerts: readonly AlertDraft[]): 'CLEARED' | 'HELD' {
  return alerts.some((alert) => alert.severity === 'HIGH') ? 'HELD' : 'CLEARED';
}

/** Restricted on the trade date → HOLD; on the watch list → an alert. `entries` are those of the trade's ISIN. */
export function checkRestrictedList(trade: ScreenedTrade, entries: readonly RestrictedListEntry[]): AlertDraft[] {
  return entries
    .filter((entry) => entry.isin === trade.isin && isInForceOn(entry, trade.tradeDate))
    .map((entry) => ({
      rule: entry.kind === 'RESTRICTED' ? 'RESTRICTED_LIST' : 'WATCH_LIST',
      severity: entry.kind === 'RESTRICTED' ? 'HIGH' : 'MEDIUM',
      details: { isin: entry.isin, tradeDate: trade.tradeDate, from: entry.from, to: entry.to, reason: entry.reason },
    }));
}

/** A listed sanctions match, with the list it came from. */
export interface ListedSanctionsMatch extends SanctionsMatch {
  source: string;
  listVersion: string;
  /** The approved false-positive decision that covers this counterparty and entry as they are now: the hit holds nothing. */
  suppressedBy?: string;
}

/**
 * Each sanctions entry the counterparty scored against at or above the threshold → HOLD; a hit an
 * approved false-positive decision covers → a MEDIUM alert naming the decision (kept as evidence, holds nothing).
 */
export function checkSanctions(counterpartyLei: string, matches: readonly ListedSanctionsMatch[], threshold: number): AlertDraft[] {
  return matches.map((match) => ({
    rule: 'SANCTIONS',
    severity: match.suppressedBy === undefined ? 'HIGH' : 'MEDIUM',
    details: {
      counterpartyLei,
      source: match.source,
      listVersion: match.listVersion,
      entryId: match.entryId,
      entryName: match.entryName,
      program: match.program,
      matchedName: match.matchedName,
      screenedName: match.screenedName,
      score: match.score,
      threshold,
      ...(match.suppressedBy === undefined ? {} : { suppressedByFalsePositive: match.suppressedBy }),
    },
  }));
}

/**
 * The counterparty's exposure in the trade's currency, over its other unsettled, uncancelled
 * trades plus this one, must stay within the limit (equal is within) → HOLD on breach.
 */
export function checkExposureLimit(trade: ScreenedTrade, limit: Decimal | null, otherOpenExposure: Decimal): AlertDraft[] {
  if (limit === null) return [];
  const exposure = otherOpenExposure.plus(trade.netAmount.abs());
  if (exposure.lte(limit)) return [];
  return [
    {
      rule: 'EXPOSURE_LIMIT',
      severity: 'HIGH',
      details: {
        counterpartyLei: trade.counterparty.lei,
        currency: trade.currency,
        limit: toDecimalString(limit),
        exposure: toDecimalString(exposure),
        tradeAmount: toDecimalString(trade.netAmount.abs()),
      },
    },
  ];
}

/** Trading with one of our own legal entities → HOLD. */
export function checkSelfTrade(trade: ScreenedTrade, ourLegalEntityLeis: ReadonlySet<string>): AlertDraft[] {
  if (!ourLegalEntityLeis.has(trade.counterparty.lei)) return [];
  return [{ rule: 'SELF_TRADE', severity: 'HIGH', details: { counterpartyLei: trade.counterparty.lei, legalEntityLei: trade.legalEntityLei } }];
}

/** Another trade of the same book, ISIN and quantity, as the wash-trade check sees it. */
export interface WashTradeCandidate {
  tradeId: string;
  side: ScreenedTrade['side'];
  executedAt: string;
  price: Decimal;
  quantity: Decimal;
  book: string;
  isin: string;
}

/**
 * The same book buying and selling the same ISIN and quantity within 300 seconds (inclusive) at
 * prices within 0.1 % of the earlier trade's price (inclusive) → an alert per opposite trade.
 */
export function checkWashTrade(trade: ScreenedTrade, others: readonly WashTradeCandidate[]): AlertDraft[] {
  const at = Date.parse(trade.executedAt);
  return others
    .filter((other) => {
      if (other.tradeId === trade.tradeId || other.side === trade.side) return false;
      if (other.book !== trade.book || other.isin !== trade.isin || !other.quantity.eq(trade.quantity)) return false;
      if (Math.abs(Date.parse(other.executedAt) - at) > WASH_TRADE_WINDOW_SECONDS * 1000) return false;
      const reference = Date.parse(other.executedAt) <= at ? other.price : trade.price;
      return trade.price.minus(other.price).abs().lte(reference.times(WASH_TRADE_PRICE_TOLERANCE));
    })
    .map((other) => ({
      rule: 'WASH_TRADE',
      severity: 'MEDIUM',
      details: {
        book: trade.book,
        isin: trade.isin,
        quantity: toDecimalString(trade.quantity),
        oppositeTradeId: other.tradeId,
        oppositeSide: other.side,
        oppositePrice: toDecimalString(other.price),
        price: toDecimalString(trade.price),
        secondsApart: Math.round(Math.abs(Date.parse(other.executedAt) - at) / 1000),
      },
    }));
}

/** A book's activity on one trade date in NMS equities, without the trade being screened. */
export interface BookDayActivity {
  shares: Decimal;
  usdNotional: Decimal;
}

/**
 * SEC 13h-1 identifying activity: the trade that takes its book's day to 2,000,000 shares or
 * 20,000,000 USD notional in NMS equities (or beyond, from below) → an alert. Only the crossing
 * trade alerts, so a busy day raises one alert per threshold, not one per trade.
 */
export function checkLargeTrader(trade: ScreenedTrade, isNmsEquity: boolean, before: BookDayActivity): AlertDraft[] {
  if (!isNmsEquity) return [];
  const shares = before.shares.plus(trade.quantity);
  const usdNotional = trade.currency === 'USD' ? before.usdNotional.plus(trade.grossAmount.abs()) : before.usdNotional;
  const crossed: string[] = [];
  if (before.shares.lt(LARGE_TRADER_SHARES) && shares.gte(LARGE_TRADER_SHARES)) crossed.push('SHARES');
  if (before.usdNotional.lt(LARGE_TRADER_USD_NOTIONAL) && usdNotional.gte(LARGE_TRADER_USD_NOTIONAL)) crossed.push('USD_NOTIONAL');
  if (crossed.length === 0) return [];
  return [
    {
      rule: 'LARGE_TRADER',
      severity: 'MEDIUM',
      details: {
        book: trade.book,
        tradeDate: trade.tradeDate,
        crossed,
        shares: toDecimalString(shares),
        usdNotional: toDecimalString(usdNotional),
        sharesThreshold: toDecimalString(LARGE_TRADER_SHARES),
        usdNotionalThreshold: toDecimalString(LARGE_TRADER_USD_NOTIONAL),
      },
    },
  ];
}
