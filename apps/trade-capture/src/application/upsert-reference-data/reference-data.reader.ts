import type { EntityManager } from 'typeorm';
import type { Counterparty, Instrument, LegalEntity, StandingSettlementInstruction } from '../../domain/reference-data';
import type { KeysetQuery, ReferenceDataRepository } from '../../persistence/reference-data.repository';

/** Reads of reference data: single statements outside any transaction (`reads` is the data source's own manager). */
export class ReferenceDataReader {
  constructor(
    private readonly reads: EntityManager,
    private readonly repository: ReferenceDataRepository,
  ) {}

  instrument(isin: string): Promise<Instrument | null> {
    return this.repository.instrument(this.reads, isin);
  }
  instruments(page: KeysetQuery): Promise<Instrument[]> {
    return this.repository.instruments(this.reads, page);
  }
  counterparty(lei: string): Promise<Counterparty | null> {
    return this.repository.counterparty(this.reads, lei);
  }
  counterparties(page: KeysetQuery & { lei?: string }): Promise<Counterparty[]> {
    return this.repository.counterparties(this.reads, page);
  }
  legalEntity(lei: string): Promise<LegalEntity | null> {
    return this.repository.legalEntity(this.reads, lei);
  }
  legalEntities(page: KeysetQuery): Promise<LegalEntity[]> {
    return this.repository.legalEntities(this.reads, page);
  }
  ssi(lei: string, market: string, currency: string): Promise<StandingSettlementInstruction | null> {
    return this.repository.ssi(this.reads, lei, market, currency);
  }
  ssis(page: KeysetQuery & { lei?: string }): Promise<StandingSettlementInstruction[]> {
    return this.repository.ssis(this.reads, page);
  }
}
