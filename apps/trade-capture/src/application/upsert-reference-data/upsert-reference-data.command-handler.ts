import type { EntityManager } from 'typeorm';
import { EventTypes, Topics } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import type { TransactionRunner } from '@postrade/persistence';
import {
  checkCounterparty,
  checkInstrument,
  checkLegalEntity,
  checkSsi,
  sameReferenceData,
  type Counterparty,
  type Instrument,
  type LegalEntity,
  type StandingSettlementInstruction,
} from '../../domain/reference-data';
import { withSsis } from '../../domain/trade';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { TradeRepository } from '../../persistence/trade.repository';

/**
 * Upserts of instruments, counterparties, our legal entities and SSIs. Each change is published
 * on `trade-capture.reference-data.v1` in the same transaction; a PUT with the same values
 * changes nothing and publishes nothing. A new SSI also repairs the live trades that lacked it.
 */
export class UpsertReferenceDataHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: ReferenceDataRepository,
    private readonly trades: TradeRepository,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  upsertInstrument(submitted: Instrument): Promise<Instrument> {
    const instrument = checkInstrument(submitted);
    return this.transactions.run(async (em) => {
      const stored = await this.repository.instrument(em, instrument.isin);
      if (sameReferenceData(stored, instrument)) return stored!;
      await this.repository.saveInstrument(em, instrument);
      await this.publish(em, instrument.isin, EventTypes.instrumentUpserted, instrument);
      return instrument;
    });
  }

  upsertCounterparty(counterparty: Counterparty): Promise<Counterparty> {
    checkCounterparty(counterparty);
    return this.transactions.run(async (em) => {
      if (sameReferenceData(await this.repository.counterparty(em, counterparty.lei), counterparty)) return counterparty;
      await this.repository.saveCounterparty(em, counterparty);
      await this.publish(em, counterparty.lei, EventTypes.counterpartyUpserted, counterparty);
      return counterparty;
    });
  }

  upsertLegalEntity(entity: LegalEntity): Promise<LegalEntity> {
    checkLegalEntity(entity);
    return this.transactions.run(async (em) => {
      if (sameReferenceData(await this.repository.legalEntity(em, entity.lei), entity)) return entity;
      await this.repository.saveLegalEntity(em, entity);
      await this.publish(em, entity.lei, EventTypes.legalEntityUpserted, entity);
      return entity;
    });
  }

  upsertSsi(ssi: StandingSettlementInstruction): Promise<StandingSettlementInstruction> {
    checkSsi(ssi);
    return this.transactions.run(async (em) => {
      await this.repository.lockSsiKey(em, { lei: ssi.lei, market: ssi.settlementMarket, currency: ssi.currency }, 'store');
      if (sameReferenceData(await this.repository.ssi(em, ssi.lei, ssi.settlementMarket, ssi.currency), ssi)) return ssi;
      await this.repository.saveSsi(em, ssi);
      await this.publish(em, ssi.lei, EventTypes.ssiUpserted, ssi);
      await this.repairTradesMissing(em, ssi);
      return ssi;
    });
  }

  /**
   * Every live trade that was captured without this SSI gets it now, at the same version, and is
   * published as `postrade.trade.enriched.v1` so that settlement can instruct it.
   */
  private async repairTradesMissing(em: EntityManager, ssi: StandingSettlementInstruction): Promise<void> {
    const at = this.now().toISOString();
    for (const trade of await this.trades.lockTradesMissingSsi(em, ssi.lei, ssi.settlementMarket, ssi.currency)) {
      const ssis = {
        ours: trade.ssis.ours ?? (trade.legalEntity.lei === ssi.lei ? ssi : null),
        theirs: trade.ssis.theirs ?? (trade.counterparty.lei === ssi.lei ? ssi : null),
      };
      const enriched = withSsis(trade, ssis, at);
      await this.trades.saveCurrent(em, enriched);
      await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: enriched.tradeId, type: EventTypes.tradeEnriched, data: enriched });
    }
  }

  private async publish(em: EntityManager, key: string, type: string, data: object): Promise<void> {
    await this.outbox.add(em, { topic: Topics.tradeCaptureReferenceData, key, type, data });
  }
}
