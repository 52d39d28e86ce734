import type { TransactionRunner } from '@postrade/persistence';
import type { Counterparty, Instrument, LegalEntity, StandingSettlementInstruction } from '../../domain/reference-data';
import type { KeysetQuery, ReferenceDataRepository } from '../../persistence/reference-data.repository';

/** Reads of reference data, each in its own short transaction. */
export class ReferenceDataReader {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: ReferenceDataRepository,
  ) {}

  instrument(isin: string): Promise<Instrument | null> {
    return this.transactions.run((em) => this.repository.instrument(em, isin));
  }
  instruments(page: KeysetQuery): Promise<Instrument[]> {
    return this.transactions.run((em) => this.repository.instruments(em, page));
  }
  counterparty(lei: string): Promise<Counterparty | null> {
    return this.transactions.run((em) => this.repository.counterparty(em, lei));
  }
  counterparties(page: KeysetQuery): Promise<Counterparty[]> {
    return this.transactions.run((em) => this.repository.counterparties(em, page));
  }
  legalEntity(lei: string): Promise<LegalEntity | null> {
    return this.transactions.run((em) => this.repository.legalEntity(em, lei));
  }
  legalEntities(page: KeysetQuery): Promise<LegalEntity[]> {
    return this.transactions.run((em) => this.repository.legalEntities(em, page));
  }
  ssi(lei: string, market: string, currency: string): Promise<StandingSettlementInstruction | null> {
    return this.transactions.run((em) => this.repository.ssi(em, lei, market, currency));
  }
  ssis(page: KeysetQuery): Promise<StandingSettlementInstruction[]> {
    return this.transactions.run((em) => this.repository.ssis(em, page));
  }
}
