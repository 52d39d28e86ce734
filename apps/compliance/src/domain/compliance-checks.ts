import { Decimal, toDecimalString } from '@postrade/kernel';
import type { AlertRule } from '@postrade/contracts';
import { DEFAULT_LARGE_TRADER_THRESHOLDS } from './control-change';
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

/** The asset classes that are NMS stocks when listed in the US: equities and ETFs. */
export const NMS_ASSET_CLASSES: ReadonlySet<string> = new Set(['EQUITY', 'ETF']);

/**
 * Whether a trade counts towards the large-trader thresholds: NMS securities only (rule 13h-1), that
 * is US-listed equities and ETFs. The instrument says what it is by its ISIN (country prefix US) and
 * its asset class; an instrument whose class compliance has not heard of (`null`) counts when its
 * ISIN is a US one (a spare alert rather than a missed one).
 */
export function isNmsSecurity(isin: string, assetClass: string | null): boolean {
  return isin.startsWith('US') && (assetClass === null || NMS_ASSET_CLASSES.has(assetClass));
}

/** A book's activity on one trade date in NMS securities, without the trade being screened. */
export interface BookDayActivity {
  shares: Decimal;
  usdNotional: Decimal;
}

/**
 * SEC 13h-1 identifying activity: the trade that takes its book's day to the share or USD notional
 * threshold in NMS securities (by default 2,000,000 shares or 20,000,000 USD; the thresholds in
 * force on the trade date) or beyond, from below → an alert. Only the crossing trade alerts, so a
 * busy day raises one alert per threshold, not one per trade.
 */
export function checkLargeTrader(
  trade: ScreenedTrade,
  isNms: boolean,
  before: BookDayActivity,
  thresholds: { shares: string; usdNotional: string } = DEFAULT_LARGE_TRADER_THRESHOLDS,
): AlertDraft[] {
  if (!isNms) return [];
  const sharesThreshold = new Decimal(thresholds.shares);
  const usdNotionalThreshold = new Decimal(thresholds.usdNotional);
  const shares = before.shares.plus(trade.quantity);
  const usdNotional = trade.currency === 'USD' ? before.usdNotional.plus(trade.grossAmount.abs()) : before.usdNotional;
  const crossed: string[] = [];
  if (before.shares.lt(sharesThreshold) && shares.gte(sharesThreshold)) crossed.push('SHARES');
  if (before.usdNotional.lt(usdNotionalThreshold) && usdNotional.gte(usdNotionalThreshold)) crossed.push('USD_NOTIONAL');
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
        sharesThreshold: toDecimalString(sharesThreshold),
        usdNotionalThreshold: toDecimalString(usdNotionalThreshold),
      },
    },
  ];
}
