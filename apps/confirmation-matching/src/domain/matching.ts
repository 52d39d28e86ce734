import { Decimal } from '@postrade/kernel';
import type { MatchBreak, MatchStatus, TradeSide } from '@postrade/contracts';
import { reasonCodeFor } from './break-reason';
import { compareField } from './field-comparison';
import { COMPARED_FIELDS, ruleFor, type MatchingProfile } from './matching-profile';

/** Level-1 fields that must be equal for a trade and a confirmation to pair (besides opposite sides). */
export interface PairingTerms {
  /** The trade's counterparty; the confirmation's sender. */
  counterpartyLei: string;
  isin: string;
  tradeDate: string;
  currency: string;
  quantity: string;
}

/** Our trade as matching sees it (the latest version trade-capture published). */
export interface TradeForMatching extends PairingTerms {
  tradeId: string;
  sourceTradeId: string;
  version: number;
  cancelled: boolean;
  side: TradeSide;
  settlementDate: string;
  price: string;
  grossAmount: string;
  netAmount: string;
  accruedInterest: string | null;
  /** Null for trades stored before they were kept (then compared as 0). */
  commission: string | null;
  fees: string | null;
  /** Where it settles (`US`, `EU`, …): US trades have a same-day affirmation cutoff. Null for trades stored before it was kept. */
  settlementMarket: string | null;
  /** Our legal entity on the trade: a confirmation must be addressed to it (null for trades stored before it was kept). */
  legalEntityLei: string | null;
}

/** The counterparty's confirmation, latest version; its side is theirs. */
export interface ConfirmationForMatching extends PairingTerms {
  /** The sender's reference: with the sender LEI (part of the pairing terms) it identifies the confirmation. */
  confirmationId: string;
  version: number;
  side: TradeSide;
  settlementDate: string;
  price: string;
  grossAmount: string | null;
  netAmount: string;
  accruedInterest: string | null;
  ourReference: string | null;
  /** Compared when the profile names them and the confirmation gives them. */
  commission: string | null;
  fees: string | null;
  /** The legal entity the confirmation is addressed to: must be the trade's. */
  receiverLei: string;
  /** Cancelled by its sender: it pairs with nothing and is CANCELLED (a new version revives it). */
  cancelled: boolean;
}

/**
 * An operator's decision on one pair, valid only while both sides stay at the versions it was
 * taken on: an amendment or a resend re-evaluates the pair from scratch.
 */
export interface OperatorDecision {
  tradeId: string;
  confirmationId: string;
  tradeVersion: number;
  confirmationVersion: number;
}

/** FORCED: matched despite breaks; AFFIRMED: affirmed by operations. */
export interface OperatorPin extends OperatorDecision {
  kind: 'FORCED' | 'AFFIRMED';
}

export interface PairingGroup {
  trades: readonly TradeForMatching[];
  confirmations: readonly ConfirmationForMatching[];
  profile: MatchingProfile;
  pins: readonly OperatorPin[];
  /** Pairs operations unmatched: never paired again automatically at these versions. */
  exclusions: readonly OperatorDecision[];
  /**
   * Pairs an earlier evaluation left AFFIRMED, by the profile or by operations: they stand like an
   * AFFIRMED pin while both sides stay at these versions, so a later trade cannot take the
   * confirmation of an affirmed pair (an unmatch, an amendment or a resend still lets them go).
   */
  affirmed?: readonly OperatorDecision[];
}

export interface TradeMatch {
  tradeId: string;
  status: Exclude<MatchStatus, 'ALLEGED'>;
  confirmationId: string | null;
  breaks: MatchBreak[];
  /** The operator pin that decided the status, if one did. */
  pin: OperatorPin['kind'] | null;
}

export interface ConfirmationMatch {
  confirmationId: string;
  status: MatchStatus;
  tradeId: string | null;
}

export interface GroupMatches {
  trades: TradeMatch[];
  confirmations: ConfirmationMatch[];
}

/** The index key of level-1 pairing: equal keys and opposite sides pair. Quantities compare by value. */
export function pairingKeyOf(terms: PairingTerms): string {
  return `${terms.counterpartyLei}|${terms.isin}|${terms.tradeDate}|${terms.currency}|${canonicalQuantity(terms.quantity)}`;
}

// A decimal already in its shortest form (no sign, no leading zeros, no trailing fractional zeros):
// the text Decimal#toFixed would give back, so the common case skips the parse.
const CANONICAL_DECIMAL = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;
const canonicalQuantity = (quantity: string): string => (CANONICAL_DECIMAL.test(quantity) ? quantity : new Decimal(quantity).toFixed());

const sameVersions = (d: OperatorDecision, trade: TradeForMatching, confirmation: ConfirmationForMatching): boolean =>
  d.tradeVersion === trade.version && d.confirmationVersion === confirmation.version;

/**
 * Pairs and matches every trade and confirmation of one pairing key. A pure function of the set,
 * never of the order things arrived in: valid operator pins first, then candidate pairs in one
 * global order (our reference named, closest price, then ids),
 * each taken when both sides are still free. A cancelled trade pairs with nothing: it is CANCELLED
 * and a confirmation for it is ALLEGED (open, for operations or the counterparty to resolve).
 * Level 2 then compares the remaining fields of each
 * pair under the profile.
 */
export function matchPairingGroup(group: PairingGroup): GroupMatches {
  const tradesById = new Map(group.trades.map((t) => [t.tradeId, t]));
  const confirmationsById = new Map(group.confirmations.map((c) => [c.confirmationId, c]));
  const pairOfTrade = new Map<string, { confirmation: ConfirmationForMatching; pin: OperatorPin | null }>();
  const pairedConfirmations = new Set<string>();

  const excluded = (trade: TradeForMatching, confirmation: ConfirmationForMatching) =>
    group.exclusions.some((e) => e.tradeId === trade.tradeId && e.confirmationId === confirmation.confirmationId && sameVersions(e, trade, confirmation));
  const pins = [...group.pins].sort((a, b) => compareText(a.tradeId, b.tradeId));
  const standing = [...(group.affirmed ?? [])].sort((a, b) => compareText(a.tradeId, b.tradeId)).map((d): OperatorPin => ({ ...d, kind: 'AFFIRMED' }));
  for (const pin of [...pins, ...standing]) {
    const trade = tradesById.get(pin.tradeId);
    const confirmation = confirmationsById.get(pin.confirmationId);
    if (!trade || !confirmation || trade.cancelled || confirmation.cancelled || !sameVersions(pin, trade, confirmation)) continue;
    if (pairOfTrade.has(trade.tradeId) || pairedConfirmations.has(confirmation.confirmationId) || !pairable(trade, confirmation) || excluded(trade, confirmation)) continue;
    pairOfTrade.set(trade.tradeId, { confirmation, pin });
    pairedConfirmations.add(confirmation.confirmationId);
  }

  const candidates: Candidate[] = [];
  for (const trade of group.trades) {
    // A cancelled trade holds no confirmation: one that would pair with it stays ALLEGED.
    if (trade.cancelled || pairOfTrade.has(trade.tradeId)) continue;
    for (const confirmation of group.confirmations) {
      if (confirmation.cancelled || pairedConfirmations.has(confirmation.confirmationId) || !pairable(trade, confirmation) || excluded(trade, confirmation)) continue;
      candidates.push({
        trade,
        confirmation,
        namesOurReference: confirmation.ourReference === trade.sourceTradeId,
        priceDistance: new Decimal(trade.price).minus(confirmation.price).abs(),
      });
    }
  }
  candidates.sort(byPreference);
  for (const { trade, confirmation } of candidates) {
    if (pairOfTrade.has(trade.tradeId) || pairedConfirmations.has(confirmation.confirmationId)) continue;
    pairOfTrade.set(trade.tradeId, { confirmation, pin: null });
    pairedConfirmations.add(confirmation.confirmationId);
  }

  const trades = group.trades.map((trade) => matchOf(trade, pairOfTrade.get(trade.tradeId), group.profile));
  const statusOfConfirmation = new Map(trades.filter((t) => t.confirmationId !== null).map((t) => [t.confirmationId!, t]));
  const confirmations = group.confirmations.map((c): ConfirmationMatch => {
    const pair = statusOfConfirmation.get(c.confirmationId);
    if (c.cancelled) return { confirmationId: c.confirmationId, status: 'CANCELLED', tradeId: null };
    return pair ? { confirmationId: c.confirmationId, status: pair.status, tradeId: pair.tradeId } : { confirmationId: c.confirmationId, status: 'ALLEGED', tradeId: null };
  });
  return { trades, confirmations };
}

/** Level-1 pairing: equal pairing terms (by value) and opposite sides. */
export function pairable(trade: TradeForMatching, confirmation: ConfirmationForMatching): boolean {
  return trade.side !== confirmation.side && pairingKeyOf(trade) === pairingKeyOf(confirmation);
}

/**
 * Level 2: the receiver first (a confirmation addressed to another of our legal entities is for the
 * wrong party whatever the profile: FIX 774 code 14), then every compared field under the
 * profile's rule; a field the confirmation omits is not compared.
 */
export function breaksBetween(trade: TradeForMatching, confirmation: ConfirmationForMatching, profile: MatchingProfile): MatchBreak[] {
  const breaks: MatchBreak[] = [];
  if (trade.legalEntityLei !== null && confirmation.receiverLei !== trade.legalEntityLei) {
    breaks.push({ field: 'receiverLei', ours: trade.legalEntityLei, theirs: confirmation.receiverLei, rule: 'EXACT', tolerance: null, reasonCode: reasonCodeFor('receiverLei') });
  }
  for (const field of COMPARED_FIELDS) {
    const theirs = confirmation[field];
    if (theirs === null) continue;
    const ours = trade[field] ?? '0';
    const difference = compareField(ruleFor(profile, field), ours, theirs, trade.netAmount);
    if (difference) breaks.push(difference);
  }
  return breaks;
}

function matchOf(trade: TradeForMatching, pair: { confirmation: ConfirmationForMatching; pin: OperatorPin | null } | undefined, profile: MatchingProfile): TradeMatch {
  const base = { tradeId: trade.tradeId, confirmationId: pair?.confirmation.confirmationId ?? null };
  if (trade.cancelled) return { ...base, status: 'CANCELLED', confirmationId: null, breaks: [], pin: null };
  if (!pair) return { ...base, status: 'UNMATCHED', breaks: [], pin: null };
  const breaks = breaksBetween(trade, pair.confirmation, profile);
  const pin = pair.pin?.kind ?? null;
  if (pin === 'AFFIRMED') return { ...base, status: 'AFFIRMED', breaks, pin };
  const matched = pin === 'FORCED' || breaks.length === 0;
  if (!matched) return { ...base, status: 'MISMATCHED', breaks, pin };
  return { ...base, status: profile.autoAffirm ? 'AFFIRMED' : 'MATCHED', breaks, pin };
}

interface Candidate {
  trade: TradeForMatching;
  confirmation: ConfirmationForMatching;
  namesOurReference: boolean;
  priceDistance: Decimal;
}

function byPreference(a: Candidate, b: Candidate): number {
  return (
    Number(b.namesOurReference) - Number(a.namesOurReference) ||
    a.priceDistance.comparedTo(b.priceDistance) ||
    compareText(a.trade.tradeId, b.trade.tradeId) ||
    compareText(a.confirmation.confirmationId, b.confirmation.confirmationId)
  );
}

// Code-unit order, independent of the locale the process runs in.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
