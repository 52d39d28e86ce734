import { assertCurrency, DomainError, LocalDate, parseDecimal, validateIsin, validateLei } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { PenaltyRate } from '../../domain/penalty';
import type { ReferenceRepository, ReferencePrice } from '../../persistence/reference.repository';

/** Reference prices, penalty rates (effective-dated) and netting agreements, set by operations. */
export class SettlementReferenceDataHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reference: ReferenceRepository,
  ) {}

  async setReferencePrice(price: ReferencePrice): Promise<ReferencePrice> {
    const isinProblem = validateIsin(price.isin);
    if (isinProblem !== null) throw DomainError.invalid('isin', isinProblem);
    LocalDate.parse(price.date, 'date');
    assertCurrency(price.currency);
    if (!parseDecimal(price.price, 'price').isPositive()) throw DomainError.invalid('price', 'must be greater than zero');
    await this.transactions.run((em) => this.reference.saveReferencePrice(em, price));
    return price;
  }

  async setPenaltyRate(rate: PenaltyRate): Promise<PenaltyRate[]> {
    LocalDate.parse(rate.effectiveFrom, 'effectiveFrom');
    if (parseDecimal(rate.rateBps, 'rateBps').isNegative()) throw DomainError.invalid('rateBps', 'must not be negative');
    return this.transactions.run(async (em) => {
      await this.reference.savePenaltyRate(em, rate.category, rate.effectiveFrom, rate.rateBps);
      return (await this.reference.penaltyRates(em)).filter((r) => r.category === rate.category);
    });
  }

  /** Netting applies to trades gated after the change; instructions already made stand. */
  async setNettingAgreement(counterpartyLei: string, enabled: boolean): Promise<{ counterpartyLei: string; enabled: boolean }> {
    const problem = validateLei(counterpartyLei);
    if (problem !== null) throw DomainError.invalid('counterpartyLei', problem);
    await this.transactions.run((em) => this.reference.saveNettingAgreement(em, counterpartyLei, enabled));
    return { counterpartyLei, enabled };
  }
}
