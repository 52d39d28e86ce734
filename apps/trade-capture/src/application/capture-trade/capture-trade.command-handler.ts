import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError, LocalDate } from '@postrade/kernel';
import { EventTypes, Topics, type TradeStatus } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import { contentHash, enrichTrade, termsHash, tradeTermsOf, type CapturedTrade, type TradeReferenceData, type TradeTerms } from '../../domain/trade';
import { decideVersion } from '../../domain/trade-lifecycle';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { TradeRepository } from '../../persistence/trade.repository';
import type { CaptureOutcome, CaptureTradeCommand } from './capture-trade.command';

export interface CaptureResult {
  outcome: CaptureOutcome;
  /** The trade as it stands after the action; null when the action was parked before any NEW. */
  trade: CapturedTrade | null;
}

/**
 * The one path every reported trade takes, REST or Kafka: version rules, validation, enrichment,
 * persistence, events through the outbox, and release of actions parked behind this one.
 * Runs inside the caller's transaction (`em`).
 */
export class CaptureTradeHandler {
  constructor(
    private readonly trades: TradeRepository,
    private readonly referenceData: ReferenceDataRepository,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(command: CaptureTradeCommand, em: EntityManager): Promise<CaptureResult> {
    await this.trades.lockSourceTrade(em, command.sourceSystem, command.sourceTradeId);
    const result = await this.apply(command, em);
    if (result.outcome === 'created' || result.outcome === 'applied') await this.releaseParked(em, command);
    return { outcome: result.outcome, trade: await this.trades.bySourceKey(em, command.sourceSystem, command.sourceTradeId) };
  }

  private async apply(command: CaptureTradeCommand, em: EntityManager): Promise<{ outcome: CaptureOutcome }> {
    const current = await this.trades.bySourceKey(em, command.sourceSystem, command.sourceTradeId);
    if (command.action === 'CANCEL' && command.version === undefined && current?.status === 'CANCELLED') return { outcome: 'replayed' };
    const version = command.version ?? (current ? current.version + 1 : 2);
    const hash = command.action === 'CANCEL' ? contentHash({ action: 'CANCEL', reason: command.reason ?? null }) : termsHash(this.termsOf(command));
    const recorded = current ? await this.trades.recordedVersion(em, current.tradeId, version) : null;
    const decision = decideVersion(command.action, version, hash, current, recorded);

    if (decision.kind === 'replay') return { outcome: 'replayed' };
    if (decision.kind === 'wait') {
      if (command.origin === 'rest') {
        if (current === null) throw DomainError.notFound('Trade', `${command.sourceSystem}/${command.sourceTradeId}`);
        throw DomainError.conflict(decision.reason, 'version-gap');
      }
      await this.trades.park(em, {
        sourceSystem: command.sourceSystem,
        sourceTradeId: command.sourceTradeId,
        version,
        action: command.action,
        payload: command.reported ?? {},
        eventId: command.causationId ?? null,
      });
      return { outcome: 'parked' };
    }

    const at = this.now().toISOString();
    const events = { correlationId: command.correlationId, causationId: command.causationId };
    if (command.action === 'NEW') {
      const trade = await this.enrich(em, this.termsOf(command), { tradeId: randomUUID(), version, status: 'CAPTURED', createdAt: at, updatedAt: at });
      await this.trades.save(em, trade, 'NEW', hash);
      await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: trade.tradeId, type: EventTypes.tradeCaptured, data: trade, ...events });
      return { outcome: 'created' };
    }
    const previous = current!;
    if (command.action === 'AMEND') {
      const trade = await this.enrich(em, this.termsOf(command), {
        tradeId: previous.tradeId,
        version,
        status: 'AMENDED',
        createdAt: previous.createdAt,
        updatedAt: at,
      });
      await this.trades.save(em, trade, 'AMEND', hash);
      await this.outbox.add(em, {
        topic: Topics.tradeCaptureTrades,
        key: trade.tradeId,
        type: EventTypes.tradeAmended,
        data: { ...trade, previous },
        ...events,
      });
      return { outcome: 'applied' };
    }
    const cancelled: CapturedTrade = { ...previous, version, status: 'CANCELLED', updatedAt: at };
    await this.trades.save(em, cancelled, 'CANCEL', hash);
    await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: cancelled.tradeId, type: EventTypes.tradeCancelled, data: cancelled, ...events });
    return { outcome: 'applied' };
  }

  /** Applies, in version order, the parked actions that the trade's new version unblocks. */
  private async releaseParked(em: EntityManager, command: CaptureTradeCommand): Promise<void> {
    for (;;) {
      const trade = await this.trades.bySourceKey(em, command.sourceSystem, command.sourceTradeId);
      if (trade === null) return;
      const parked = await this.trades.unpark(em, command.sourceSystem, command.sourceTradeId, trade.version + 1);
      if (parked === null) return;
      const reported = parked.payload;
      const released: CaptureTradeCommand = {
        action: parked.action,
        version: parked.version,
        sourceSystem: parked.sourceSystem,
        sourceTradeId: parked.sourceTradeId,
        terms: parked.action === 'CANCEL' ? undefined : tradeTermsOf(reported),
        reason: typeof reported.reason === 'string' ? reported.reason : undefined,
        origin: 'kafka',
        reported,
        correlationId: command.correlationId,
        causationId: parked.eventId ?? undefined,
      };
      try {
        await this.apply(released, em);
      } catch (error) {
        // A released action that breaks a rule must not undo the action that released it. It is
        // checked before anything is written, so it goes back to the parking lot for operations.
        if (!(error instanceof DomainError)) throw error;
        await this.trades.park(em, parked);
        return;
      }
    }
  }

  private termsOf(command: CaptureTradeCommand): TradeTerms {
    if (command.terms === undefined) throw DomainError.invalid('payload', `an ${command.action} must carry the trade's terms`);
    return command.terms;
  }

  private async enrich(
    em: EntityManager,
    terms: TradeTerms,
    identity: { tradeId: string; version: number; status: TradeStatus; createdAt: string; updatedAt: string },
  ): Promise<CapturedTrade> {
    const instrument = await this.referenceData.instrument(em, terms.isin);
    const counterparty = await this.referenceData.counterparty(em, terms.counterpartyLei);
    const legalEntity = await this.referenceData.legalEntity(em, terms.legalEntityLei);
    const refs: TradeReferenceData = {
      instrument,
      counterparty,
      legalEntity,
      ssis: {
        ours: instrument ? await this.referenceData.ssi(em, terms.legalEntityLei, instrument.settlementMarket, terms.currency) : null,
        theirs: instrument ? await this.referenceData.ssi(em, terms.counterpartyLei, instrument.settlementMarket, terms.currency) : null,
      },
    };
    return enrichTrade(terms, refs, identity, LocalDate.todayUtc(this.now()));
  }
}
