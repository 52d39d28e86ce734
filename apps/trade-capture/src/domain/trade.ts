import { createHash } from 'node:crypto';
import {
  decimalPlaces,
  DomainError,
  intendedSettlementDate,
  LocalDate,
  minorUnits,
  parseDecimal,
  settlementCycleFor,
  validateIsin,
  validateLei,
  validateSettlementDate,
  type Decimal,
  type FieldError,
} from '@postrade/kernel';
import type { SettlementType, TradeResource, TradeSide, TradeStatus } from '@postrade/contracts';
import { collectFieldErrors, type Counterparty, type Instrument, type LegalEntity, type StandingSettlementInstruction } from './reference-data';
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

/** SSIs of both sides; null where none is on file for the market and currency. */
export interface TradeSsis {
  ours: StandingSettlementInstruction | null;
  theirs: StandingSettlementInstruction | null;
}

/** The enriched trade. The contract's SsiPair has no null side, so the resource widens it. */
export type CapturedTrade = Omit<TradeResource, 'ssis'> & { ssis: TradeSsis };

/** What the capture rules look up: null when it is not on file. */
export interface TradeReferenceData {
  instrument: Instrument | null;
  counterparty: Counterparty | null;
  legalEntity: LegalEntity | null;
  ssis: TradeSsis;
}

/** A canonical hash of what was reported: the same terms in any key order hash the same. */
export function contentHash(content: object): string {
  const canonical = JSON.stringify(content, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** The hash that decides "same content": terms with their defaults applied. */
export function termsHash(terms: TradeTerms): string {
  return contentHash({ ...terms, settlementType: terms.settlementType ?? 'DVP' });
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
 * broken rule at once, each naming its field. `today` is the UTC date the trade is booked on.
 */
export function tradeTermsErrors(terms: TradeTerms, refs: TradeReferenceData, today: LocalDate): FieldError[] {
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

  if (positive(terms.quantity, 'quantity') === null) checks.push(fail('quantity', 'must be a decimal greater than zero'));
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
  else if (LocalDate.isAfter(terms.tradeDate, today)) checks.push(fail('tradeDate', `${terms.tradeDate} is in the future (today is ${today} UTC)`));
  if (terms.settlementDate !== undefined && tradeDateValid && instrument !== null) {
    const settlementDate = terms.settlementDate;
    checks.push(() => validateSettlementDate(instrument.settlementMarket, terms.tradeDate, settlementDate));
  }
  return collectFieldErrors(checks);
}

/** Validates and enriches a reported trade into its resource, or throws naming every bad field. */
export function enrichTrade(
  terms: TradeTerms,
  refs: TradeReferenceData,
  identity: { tradeId: string; version: number; status: TradeStatus; createdAt: string; updatedAt: string },
  today: LocalDate,
): CapturedTrade {
  const errors = tradeTermsErrors(terms, refs, today);
  if (errors.length > 0 || refs.instrument === null || refs.counterparty === null || refs.legalEntity === null) {
    throw DomainError.invalidFields(errors);
  }
  const { instrument, counterparty, legalEntity } = refs;
  const market = instrument.settlementMarket;
  const amounts = computeTradeAmounts({
    side: terms.side,
    quantity: parseDecimal(terms.quantity, 'quantity'),
    price: parseDecimal(terms.price, 'price'),
    priceType: instrument.priceType,
    currency: terms.currency,
    commission: parseDecimal(terms.commission ?? '0', 'commission'),
    fees: parseDecimal(terms.fees ?? '0', 'fees'),
  });
  return {
    tradeId: identity.tradeId,
    sourceSystem: terms.sourceSystem,
    sourceTradeId: terms.sourceTradeId,
    version: identity.version,
    status: identity.status,
    tradeDate: terms.tradeDate,
    executionTime: terms.executionTime ?? null,
    side: terms.side,
    isin: terms.isin,
    quantity: terms.quantity,
    price: terms.price,
    currency: terms.currency,
    grossAmount: amounts.grossAmount,
    commission: terms.commission === undefined ? '0' : amounts.commission,
    fees: terms.fees === undefined ? '0' : amounts.fees,
    netAmount: amounts.netAmount,
    settlementDate: terms.settlementDate ?? intendedSettlementDate(market, terms.tradeDate),
    settlementCycle: settlementCycleFor(market, terms.tradeDate).label,
    settlementMarket: market,
    settlementType: terms.settlementType ?? 'DVP',
    book: terms.book,
    counterparty: { lei: counterparty.lei, name: counterparty.name, bic: counterparty.bic, country: counterparty.country },
    legalEntity: { lei: legalEntity.lei, name: legalEntity.name, bic: legalEntity.bic },
    ssis: refs.ssis,
    createdAt: identity.createdAt,
    updatedAt: identity.updatedAt,
  };
}

