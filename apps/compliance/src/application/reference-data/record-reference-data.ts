import type { EntityManager } from 'typeorm';
import type { AuditTrail } from '@postrade/persistence';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { Causation } from '../decision-events';
import type { CounterpartyRescreening } from '../sanctions/rescreen-counterparty';

/**
 * Keeps compliance's copy of trade-capture's reference data. A counterparty whose name or aliases
 * changed is screened again, so a new sanctions hit holds its open trades.
 */
export class RecordReferenceData {
  constructor(
    private readonly referenceData: ReferenceDataRepository,
    private readonly rescreening: CounterpartyRescreening,
    private readonly audit: AuditTrail,
  ) {}

  /** `auditChain`: the audit chain of the partition the counterparty came from (see {@link AuditTrail.record}). */
  async counterparty(em: EntityManager, counterparty: { lei: string; name: string; aliases: string[] }, causation: Causation, auditChain?: string): Promise<void> {
    await this.referenceData.saveCounterparty(em, counterparty.lei, counterparty.name, counterparty.aliases);
    const locked = (await this.referenceData.lockCounterparty(em, counterparty.lei))!;
    const rescreened = await this.rescreening.rescreen(em, locked, 'system:compliance', causation);
    await this.audit.record(em, rescreened.audit, auditChain);
  }

  legalEntity(em: EntityManager, entity: { lei: string; name: string }): Promise<void> {
    return this.referenceData.saveLegalEntity(em, entity.lei, entity.name);
  }

  instrument(em: EntityManager, instrument: { isin: string; assetClass: string }): Promise<void> {
    return this.referenceData.saveInstrument(em, instrument.isin, instrument.assetClass);
  }
}
