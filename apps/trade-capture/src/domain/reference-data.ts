import { assertBic, assertIsin, assertLei, DomainError, isCountryCode, isCurrency, isSettlementMarket, type FieldError } from '@postrade/kernel';
import type { CounterpartyResource, InstrumentResource, LegalEntityResource, SsiResource } from '@postrade/contracts';

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

/** Shape is the DTO's business; these are the check digits and code lists. */
export function checkInstrument(instrument: Instrument): Instrument {
  throwIfAny(
    collectFieldErrors([
      () => assertIsin(instrument.isin, 'isin'),
      rule(isCurrency(instrument.currency), 'currency', `"${instrument.currency}" is not an ISO 4217 currency code`),
      rule(isSettlementMarket(instrument.settlementMarket), 'settlementMarket', `"${instrument.settlementMarket}" is not a settlement market`),
    ]),
  );
  return instrument;
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
