import type { EntityManager } from 'typeorm';
import { EventTypes, Topics } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import type { TransactionRunner } from '@postrade/persistence';
import {
  checkCounterparty,
  checkInstrument,
  checkLegalEntity,
  checkSsi,
  type Counterparty,
  type Instrument,
  type LegalEntity,
  type StandingSettlementInstruction,
} from '../../domain/reference-data';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';

const sameAs = (a: unknown, b: unknown) => a !== null && JSON.stringify(a) === JSON.stringify(b);

/**
 * Upserts of instruments, counterparties, our legal entities and SSIs. Each change is published
 * on `trade-capture.reference-data.v1` in the same transaction; an identical PUT changes nothing
 * and publishes nothing.
 */
export class UpsertReferenceDataHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: ReferenceDataRepository,
    private readonly outbox: Outbox,
  ) {}

  upsertInstrument(instrument: Instrument): Promise<Instrument> {
    checkInstrument(instrument);
    return this.transactions.run(async (em) => {
      if (sameAs(await this.repository.instrument(em, instrument.isin), instrument)) return instrument;
      await this.repository.saveInstrument(em, instrument);
      await this.publish(em, instrument.isin, EventTypes.instrumentUpserted, instrument);
      return instrument;
    });
  }

  upsertCounterparty(counterparty: Counterparty): Promise<Counterparty> {
    checkCounterparty(counterparty);
    return this.transactions.run(async (em) => {
      if (sameAs(await this.repository.counterparty(em, counterparty.lei), counterparty)) return counterparty;
      await this.repository.saveCounterparty(em, counterparty);
      await this.publish(em, counterparty.lei, EventTypes.counterpartyUpserted, counterparty);
      return counterparty;
    });
  }

  upsertLegalEntity(entity: LegalEntity): Promise<LegalEntity> {
    checkLegalEntity(entity);
    return this.transactions.run(async (em) => {
      if (sameAs(await this.repository.legalEntity(em, entity.lei), entity)) return entity;
      await this.repository.saveLegalEntity(em, entity);
      await this.publish(em, entity.lei, EventTypes.legalEntityUpserted, entity);
      return entity;
    });
  }

  upsertSsi(ssi: StandingSettlementInstruction): Promise<StandingSettlementInstruction> {
    checkSsi(ssi);
    return this.transactions.run(async (em) => {
      if (sameAs(await this.repository.ssi(em, ssi.lei, ssi.settlementMarket, ssi.currency), ssi)) return ssi;
      await this.repository.saveSsi(em, ssi);
      await this.publish(em, ssi.lei, EventTypes.ssiUpserted, ssi);
      return ssi;
    });
  }

  private async publish(em: EntityManager, key: string, type: string, data: object): Promise<void> {
    await this.outbox.add(em, { topic: Topics.tradeCaptureReferenceData, key, type, data });
  }
}
