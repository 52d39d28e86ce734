import { createHash } from 'node:crypto';
import {
  accruedInterest,
  actualSettlementCycle,
  Decimal,
  decimalPlaces,
  DomainError,
  intendedSettlementDate,
  isDecimalString,
  LocalDate,
  marketToday,
  minorUnits,
  parseDecimal,
  settlementCycleFor,
  subtractSettlementDays,
  validateIsin,
  validateLei,
  validateSettlementDate,
  type FieldError,
} from '@postrade/kernel';
import type { SettlementType, TradeException, TradeResource, TradeSide, TradeSsis, TradeStatus } from '@postrade/contracts';
import {
  collectFieldErrors,
  couponTermsOf,
  denominationProblem,
  isBond,
  COUPON_TERM_FIELDS,
  type Counterparty,
  type Instrument,
  type LegalEntity,
} from './reference-data';
import { computeTradeAmounts } from './trade-amounts';

/** The most decimals a price may carry. */
export const MAX_PRICE_DECIMALS = 8;

/** The trade fields an upstream system reports (REST body or Kafka payload without action and version). */
export interface TradeTerms {
  sourceSystem: string;
  sourceTradeId: string;
  tradeDate: string;
  executionTime?: string;
  side: TradeSide;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  counterpartyLei: string;
  legalEntityLei: string;
  book: string;
  settlementDate?: string;
  commission?: string;
  fees?: string;
  settlementType?: SettlementType;
}

const TERM_FIELDS: readonly (keyof TradeTerms)[] = [
  'sourceSystem', 'sourceTradeId', 'tradeDate', 'executionTime', 'side', 'isin', 'quantity', 'price', 'currency',
  'counterpartyLei', 'legalEntityLei', 'book', 'settlementDate', 'commission', 'fees', 'settlementType',
];

/** Picks the trade fields out of a submission or a reported event, dropping absent ones. */
export function tradeTermsOf(source: Partial<Record<keyof TradeTerms, unknown>>): TradeTerms {
  const terms: Record<string, unknown> = {};
  for (const field of TERM_FIELDS) if (source[field] !== undefined && source[field] !== null) terms[field] = source[field];
  return terms as unknown as TradeTerms;
}

/** The enriched trade, as the API renders it and the events carry it. */
export type CapturedTrade = TradeResource;
export type { TradeSsis };

/** What the capture rules look up: null when it is not on file. */
export interface TradeReferenceData {
  instrument: Instrument | null;
  counterparty: Counterparty | null;
  legalEntity: LegalEntity | null;
  ssis: TradeSsis;
}

/** A canonical hash of a JSON value: the same content in any key order hashes the same. */
export function contentHash(content: object): string {
  const canonical = JSON.stringify(content, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

const sameNumber = (value: string | undefined, absent: string) => {
  const written = value ?? absent;
  return isDecimalString(written) ? new Decimal(written).toFixed() : written;
};

function sameInstant(value: string | undefined): string | null {
  if (value === undefined) return null;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? value : new Date(millis).toISOString();
}

/**
 * The values of a report, not its spelling: decimals as numbers ("1000" = "1000.00"), an instant
 * in UTC whatever offset it was written in, and an omitted commission, fee or settlement type as
 * its default ("0", "0", DVP). Two reports with the same canonical terms are the same content.
 */
export function canonicalTerms(terms: TradeTerms): Record<string, string | null> {
  return {
    sourceSystem: terms.sourceSystem,
    sourceTradeId: terms.sourceTradeId,
    tradeDate: terms.tradeDate,
    executionTime: sameInstant(terms.executionTime),
    side: terms.side,
    isin: terms.isin,
    quantity: sameNumber(terms.quantity, '0'),
    price: sameNumber(terms.price, '0'),
    currency: terms.currency,
    counterpartyLei: terms.counterpartyLei,
    legalEntityLei: terms.legalEntityLei,
    book: terms.book,
    settlementDate: terms.settlementDate ?? null,
    commission: sameNumber(terms.commission, '0'),
    fees: sameNumber(terms.fees, '0'),
    settlementType: terms.settlementType ?? 'DVP',
  };
}

/** The hash that decides "same content" for a NEW or an AMEND. */
export function termsHash(terms: TradeTerms): string {
  return contentHash({ terms: canonicalTerms(terms) });
}

/** The hash that decides "same content" for a CANCEL: its reason. */
export function cancelHash(reason: string | undefined): string {
  return contentHash({ cancel: reason ?? null });
}

const fail = (field: string, message: string) => () => {
  throw DomainError.invalid(field, message);
};

function positive(value: string, field: string): Decimal | null {
  let parsed: Decimal;
  try {
    parsed = parseDecimal(value, field);
  } catch {
    return null;
  }
  return parsed.greaterThan(0) ? parsed : null;
}

/**
 * Checks a reported trade against the capture rules and the reference data, and returns every
 * broken rule at once, each naming its field. A trade date is "in the future" when it is after
 * today in the market's own time zone (UTC when the instrument is unknown).
 */
export function tradeTermsErrors(terms: TradeTerms, refs: TradeReferenceData, now: Date): FieldError[] {
  const { instrument, counterparty, legalEntity } = refs;
  const checks: (() => void)[] = [];
  const isinProblem = validateIsin(terms.isin);
  if (isinProblem !== null) checks.push(fail('isin', isinProblem));
  else if (instrument === null) checks.push(fail('isin', `instrument ${terms.isin} is not known`));
  const cpProblem = validateLei(terms.counterpartyLei);
  if (cpProblem !== null) checks.push(fail('counterpartyLei', cpProblem));
  else if (counterparty === null) checks.push(fail('counterpartyLei', `counterparty ${terms.counterpartyLei} is not known`));
  const leProblem = validateLei(terms.legalEntityLei);
  if (leProblem !== null) checks.push(fail('legalEntityLei', leProblem));
  else if (legalEntity === null) checks.push(fail('legalEntityLei', `legal entity ${terms.legalEntityLei} is not one of ours`));

  const quantity = positive(terms.quantity, 'quantity');
  if (quantity === null) checks.push(fail('quantity', 'must be a decimal greater than zero'));
  else if (instrument !== null && isBond(instrument)) {
    const problem = denominationProblem(instrument, quantity);
    if (problem !== null) checks.push(fail('quantity', `nominal ${terms.quantity} ${problem}`));
  }
  if (positive(terms.price, 'price') === null) checks.push(fail('price', 'must be a decimal greater than zero'));
  else if (decimalPlaces(terms.price) > MAX_PRICE_DECIMALS) checks.push(fail('price', `must have at most ${MAX_PRICE_DECIMALS} decimals`));

  if (instrument !== null && terms.currency !== instrument.currency) {
    checks.push(fail('currency', `must be the instrument's currency ${instrument.currency}`));
  }
  for (const field of ['commission', 'fees'] as const) {
    const value = terms[field];
    if (value === undefined) continue;
    checks.push(() => {
      if (parseDecimal(value, field).isNegative()) throw DomainError.invalid(field, 'must not be negative');
      const dp = minorUnits(terms.currency);
      if (decimalPlaces(value) > dp) throw DomainError.invalid(field, `must have at most ${dp} decimals for ${terms.currency}`);
    });
  }

  const tradeDateValid = LocalDate.isValid(terms.tradeDate);
  if (!tradeDateValid) checks.push(fail('tradeDate', 'must be a date as YYYY-MM-DD'));
  else {
    const market = instrument?.settlementMarket;
    const today = market ? marketToday(market, now) : LocalDate.todayUtc(now);
    if (LocalDate.isAfter(terms.tradeDate, today)) {
      checks.push(fail('tradeDate', `${terms.tradeDate} is in the future (today is ${today} in ${market ? `the ${market} market's time zone` : 'UTC'})`));
    }
  }
  if (terms.settlementDate !== undefined && tradeDateValid && instrument !== null) {
    const settlementDate = terms.settlementDate;
    checks.push(() => validateSettlementDate(instrument.settlementMarket, terms.tradeDate, settlementDate, terms.currency));
  }
  return collectFieldErrors(checks);
}

/** The exceptions a trade carries while an SSI is not on file. */
export function ssiExceptions(ssis: TradeSsis): TradeException[] {
  const exceptions: TradeException[] = [];
  if (ssis.ours === null) exceptions.push('MISSING_OUR_SSI');
  if (ssis.theirs === null) exceptions.push('MISSING_COUNTERPARTY_SSI');
  return exceptions;
}

/** The instrument's terms the trade carries for downstream services. */
function tradeInstrument(instrument: Instrument): TradeResource['instrument'] {
  const carried: TradeResource['instrument'] = {
    description: instrument.description,
    assetClass: instrument.assetClass,
    priceType: instrument.priceType,
    csdrCategory: instrument.csdrCategory,
  };
  if (isBond(instrument)) for (const field of COUPON_TERM_FIELDS) Object.assign(carried, { [field]: instrument[field] ?? null });
  return carried;
}

export interface TradeIdentity {
  tradeId: string;
  version: number;
  status: TradeStatus;
  createdAt: string;
  updatedAt: string;
}

/** Validates and enriches a reported trade into its resource, or throws naming every bad field. */
export function enrichTrade(terms: TradeTerms, refs: TradeReferenceData, identity: TradeIdentity, now: Date): CapturedTrade {
  const errors = tradeTermsErrors(terms, refs, now);
  if (errors.length > 0 || refs.instrument === null || refs.counterparty === null || refs.legalEntity === null) {
    throw DomainError.invalidFields(errors);
  }
  const { instrument, counterparty, legalEntity } = refs;
  const market = instrument.settlementMarket;
  const context = { assetClass: instrument.assetClass, currency: terms.currency };
  const settlementDate = terms.settlementDate ?? intendedSettlementDate(market, terms.tradeDate, context);
  const cycle = terms.settlementDate !== undefined
    ? actualSettlementCycle(market, terms.tradeDate, settlementDate, terms.currency)
    : settlementCycleFor(market, terms.tradeDate, instrument.assetClass);
  const quantity = parseDecimal(terms.quantity, 'quantity');
  const accrued = isBond(instrument)
    ? accruedInterest(couponTermsOf(instrument), quantity, terms.currency, settlementDate, {
        exCouponDate: (couponDate, days) => subtractSettlementDays(market, couponDate, days),
      })
    : null;
  const amounts = computeTradeAmounts({
    side: terms.side,
    quantity,
    price: parseDecimal(terms.price, 'price'),
    priceType: instrument.priceType,
    currency: terms.currency,
    commission: parseDecimal(terms.commission ?? '0', 'commission'),
    fees: parseDecimal(terms.fees ?? '0', 'fees'),
    accruedInterest: accrued?.amount,
  });
  if (!new Decimal(amounts.netAmount).greaterThan(0)) {
    throw DomainError.invalidFields([
      { field: 'netAmount', message: `must be positive: gross ${amounts.grossAmount} + accrued ${amounts.accruedInterest} with commission and fees comes to ${amounts.netAmount}` },
    ]);
  }
  return {
    tradeId: identity.tradeId,
    sourceSystem: terms.sourceSystem,
    sourceTradeId: terms.sourceTradeId,
    version: identity.version,
    status: identity.status,
    tradeDate: terms.tradeDate,
    // Stored as an instant: rendered in UTC whatever offset it was reported in.
    executionTime: sameInstant(terms.executionTime),
    side: terms.side,
    isin: terms.isin,
    quantity: terms.quantity,
    price: terms.price,
    currency: terms.currency,
    grossAmount: amounts.grossAmount,
    accruedInterest: amounts.accruedInterest,
    accruedDays: accrued?.days ?? 0,
    commission: terms.commission === undefined ? '0' : amounts.commission,
    fees: terms.fees === undefined ? '0' : amounts.fees,
    netAmount: amounts.netAmount,
    settlementDate,
    settlementCycle: cycle.label,
    settlementMarket: market,
    settlementType: terms.settlementType ?? 'DVP',
    book: terms.book,
    instrument: tradeInstrument(instrument),
    counterparty: { lei: counterparty.lei, name: counterparty.name, bic: counterparty.bic, country: counterparty.country },
    legalEntity: { lei: legalEntity.lei, name: legalEntity.name, bic: legalEntity.bic },
    ssis: refs.ssis,
    exceptions: ssiExceptions(refs.ssis),
    cancelReason: null,
    createdAt: identity.createdAt,
    updatedAt: identity.updatedAt,
  };
}

/** The trade with an SSI that was missing now filled in: same version, exceptions recomputed. */
export function withSsis(trade: CapturedTrade, ssis: TradeSsis, at: string): CapturedTrade {
  return { ...trade, ssis, exceptions: ssiExceptions(ssis), updatedAt: at };
}
