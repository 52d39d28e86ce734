import {
  assertBic,
  assertIsin,
  assertLei,
  couponTermsErrors,
  Decimal,
  DomainError,
  isCountryCode,
  isCurrency,
  isDecimalString,
  isSettlementMarket,
  type CouponTerms,
  type FieldError,
} from '@postrade/kernel';
import type { CouponTermsResource, CounterpartyResource, InstrumentResource, LegalEntityResource, SsiResource } from '@postrade/contracts';

export type Instrument = InstrumentResource;
export type Counterparty = CounterpartyResource;
export type LegalEntity = LegalEntityResource;
export type StandingSettlementInstruction = SsiResource;

/** Runs each check, collecting every field it rejects, so that one response names every bad field. */
export function collectFieldErrors(checks: (() => void)[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (error instanceof DomainError && error.errors.length > 0) errors.push(...error.errors);
      else throw error;
    }
  }
  return errors;
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw DomainError.invalidFields(errors);
}

const rule = (ok: boolean, field: string, message: string) => () => {
  if (!ok) throw DomainError.invalid(field, message);
};

export const COUPON_TERM_FIELDS = [
  'couponRate',
  'couponFrequency',
  'dayCount',
  'issueDate',
  'firstCouponDate',
  'maturityDate',
  'minimumDenomination',
  'denominationIncrement',
  'exCouponDays',
] as const satisfies readonly (keyof CouponTermsResource)[];

const REQUIRED_COUPON_TERMS = ['couponRate', 'couponFrequency', 'dayCount', 'issueDate', 'maturityDate'] as const;

export const isBond = (instrument: Pick<Instrument, 'assetClass'>) => instrument.assetClass === 'GOVT_BOND' || instrument.assetClass === 'CORP_BOND';

/** The coupon terms of a bond as the kernel computes with them. */
export function couponTermsOf(instrument: Instrument): CouponTerms {
  return {
    couponRate: instrument.couponRate!,
    couponFrequency: instrument.couponFrequency!,
    dayCount: instrument.dayCount!,
    issueDate: instrument.issueDate!,
    firstCouponDate: instrument.firstCouponDate ?? null,
    maturityDate: instrument.maturityDate!,
    exCouponDays: instrument.exCouponDays ?? null,
  };
}

/** A bond's terms with every optional one present as null; an equity without any. */
export function withCouponTerms(instrument: Instrument): Instrument {
  if (!isBond(instrument)) {
    const plain: Instrument = { ...instrument };
    for (const field of COUPON_TERM_FIELDS) delete plain[field];
    return plain;
  }
  return {
    ...instrument,
    firstCouponDate: instrument.firstCouponDate ?? null,
    minimumDenomination: instrument.minimumDenomination ?? null,
    denominationIncrement: instrument.denominationIncrement ?? null,
    exCouponDays: instrument.exCouponDays ?? null,
  };
}

function positiveDecimal(value: string | null | undefined, field: string): () => void {
  return () => {
    if (value === undefined || value === null) return;
    if (!isDecimalString(value) || !new Decimal(value).greaterThan(0)) throw DomainError.invalid(field, 'must be a decimal greater than zero');
  };
}

/**
 * Shape is the DTO's business; these are the check digits, code lists, and the agreement of the
 * fields: EQUITY and ETF are priced UNIT with a SHARE category (or OTHER), bonds PERCENT_OF_PAR
 * with a DEBT category (or OTHER) and carry coupon terms; equities carry none.
 */
export function checkInstrument(instrument: Instrument): Instrument {
  const bond = isBond(instrument);
  const category = instrument.csdrCategory;
  const checks: (() => void)[] = [
    () => assertIsin(instrument.isin, 'isin'),
    rule(isCurrency(instrument.currency), 'currency', `"${instrument.currency}" is not an ISO 4217 currency code`),
    rule(isSettlementMarket(instrument.settlementMarket), 'settlementMarket', `"${instrument.settlementMarket}" is not a settlement market`),
    rule(
      instrument.priceType === (bond ? 'PERCENT_OF_PAR' : 'UNIT'),
      'priceType',
      `must be ${bond ? 'PERCENT_OF_PAR' : 'UNIT'} for ${instrument.assetClass === 'ETF' ? 'an' : 'a'} ${instrument.assetClass}`,
    ),
    rule(
      category === 'OTHER' || category.endsWith(bond ? '_DEBT' : '_SHARE'),
      'csdrCategory',
      `must be a ${bond ? 'DEBT' : 'SHARE'} category (or OTHER) for ${instrument.assetClass === 'ETF' ? 'an' : 'a'} ${instrument.assetClass}`,
    ),
  ];
  if (bond) {
    for (const field of REQUIRED_COUPON_TERMS) {
      checks.push(rule(instrument[field] !== undefined && instrument[field] !== null, field, 'is required for a bond'));
    }
    if (REQUIRED_COUPON_TERMS.every((field) => instrument[field] !== undefined && instrument[field] !== null)) {
      checks.push(rule(isDecimalString(instrument.couponRate) && !instrument.couponRate!.startsWith('-'), 'couponRate', 'must be a decimal percentage, zero or more'));
      checks.push(() => throwIfAny(couponTermsErrors(couponTermsOf(instrument))));
    }
    checks.push(positiveDecimal(instrument.minimumDenomination, 'minimumDenomination'));
    checks.push(positiveDecimal(instrument.denominationIncrement, 'denominationIncrement'));
  } else {
    for (const field of COUPON_TERM_FIELDS) {
      checks.push(rule(instrument[field] === undefined || instrument[field] === null, field, `only bonds carry coupon terms, not ${instrument.assetClass === 'ETF' ? 'an' : 'a'} ${instrument.assetClass}`));
    }
  }
  throwIfAny(collectFieldErrors(checks));
  return withCouponTerms(instrument);
}

/**
 * A bond nominal must reach the minimum denomination and exceed it by whole increments.
 * Returns the problem, or null when the nominal is tradeable.
 */
export function denominationProblem(instrument: Instrument, nominal: Decimal): string | null {
  const minimum = instrument.minimumDenomination ? new Decimal(instrument.minimumDenomination) : null;
  const increment = instrument.denominationIncrement ? new Decimal(instrument.denominationIncrement) : null;
  if (minimum !== null && nominal.lessThan(minimum)) return `must be at least the minimum denomination ${instrument.minimumDenomination}`;
  if (increment !== null && !nominal.minus(minimum ?? 0).modulo(increment).isZero()) {
    return `must be ${minimum ? `${instrument.minimumDenomination} plus ` : ''}a multiple of ${instrument.denominationIncrement}`;
  }
  return null;
}

export function checkCounterparty(counterparty: Counterparty): Counterparty {
  throwIfAny(
    collectFieldErrors([
      () => assertLei(counterparty.lei, 'lei'),
      () => assertBic(counterparty.bic, 'bic'),
      rule(isCountryCode(counterparty.country), 'country', `"${counterparty.country}" is not an ISO 3166-1 alpha-2 country code`),
    ]),
  );
  return counterparty;
}

export function checkLegalEntity(entity: LegalEntity): LegalEntity {
  throwIfAny(collectFieldErrors([() => assertLei(entity.lei, 'lei'), () => assertBic(entity.bic, 'bic')]));
  return entity;
}

export function checkSsi(ssi: StandingSettlementInstruction): StandingSettlementInstruction {
  throwIfAny(
    collectFieldErrors([
      () => assertLei(ssi.lei, 'lei'),
      rule(isSettlementMarket(ssi.settlementMarket), 'settlementMarket', `"${ssi.settlementMarket}" is not a settlement market`),
      rule(isCurrency(ssi.currency), 'currency', `"${ssi.currency}" is not an ISO 4217 currency code`),
      () => assertBic(ssi.agentBic, 'agentBic'),
      () => assertBic(ssi.placeOfSettlement, 'placeOfSettlement'),
    ]),
  );
  return ssi;
}

/**
 * Same reference data by value: decimals compare as numbers ("1000" = "1000.00"), lists in
 * order, a missing optional field equals null. Used to make an identical PUT a no-op.
 */
export function sameReferenceData<T extends object>(a: T | null, b: T): boolean {
  if (a === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = (a as Record<string, unknown>)[key] ?? null;
    const y = (b as Record<string, unknown>)[key] ?? null;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((item, i) => item !== y[i])) return false;
    } else if (isDecimalString(x) && isDecimalString(y)) {
      if (!new Decimal(x).equals(new Decimal(y))) return false;
    } else if (x !== y) return false;
  }
  return true;
}
