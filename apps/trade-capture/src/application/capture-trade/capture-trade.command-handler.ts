import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { EventTypes, Topics } from '@postrade/contracts';
import type { Outbox, ParkingLot } from '@postrade/messaging';
import { cancelHash, enrichTrade, termsHash, tradeTermsOf, type CapturedTrade, type TradeIdentity, type TradeTerms } from '../../domain/trade';
import { decideVersion } from '../../domain/trade-lifecycle';
import { ssiKeyOf, type ReferenceDataRepository } from '../../persistence/reference-data.repository';
import { sourceKeyOf, type TradeRepository } from '../../persistence/trade.repository';
import { awaitedNew, PARKED_ACTION_KINDS, parkedActionKey, type ParkedAction, type ParkedActionPayload } from '../parked-actions/parked-actions';
import { rejectionErrors, rejectionReason, type TradeAcknowledgements } from '../report-trade/trade-acknowledgements';
import type { CaptureResult, CaptureTradeCommand } from './capture-trade.command';

/** How long a parked action waits for its NEW before it is rejected to the DLQ (TRADE_CAPTURE_PARKED_EXPIRY, default 10m). */
export const DEFAULT_PARKED_ACTION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The one path every reported trade takes, REST or Kafka: version rules, validation, enrichment,
 * persistence, events through the outbox, and release of actions parked behind a NEW.
 * Runs inside the caller's transaction (`em`), under a lock on the upstream trade.
 */
export class CaptureTradeHandler {
  constructor(
    private readonly trades: TradeRepository,
    private readonly parking: ParkingLot,
    private readonly referenceData: ReferenceDataRepository,
    private readonly outbox: Outbox,
    private readonly acknowledgements: TradeAcknowledgements,
    private readonly parkedActionTimeoutMs: number = DEFAULT_PARKED_ACTION_TIMEOUT_MS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** An action named by the upstream keys (a NEW, or anything from Kafka). */
  async execute(command: CaptureTradeCommand, em: EntityManager): Promise<CaptureResult> {
    await this.trades.lockSourceTrade(em, command.sourceSystem, command.sourceTradeId);
    const current = await this.trades.bySourceKey(em, command.sourceSystem, command.sourceTradeId, { lock: true });
    const result = await this.apply(command, current, em);
    if (result.outcome === 'created') return { outcome: 'created', trade: await this.releaseParked(em, result.trade!, command) };
    return result;
  }

  /**
   * NEW reports from the topic, as one batch, in a fixed number of round trips: their upstream
   * trades locked (in key order) and read; each trade not captured yet validated, enriched, stored
   * and published together, and the actions parked behind it applied. Per command: its result, the
   * DomainError that rejects it (nothing of it written), or `undefined` when its trade exists already
   * (a replayed or conflicting NEW: the caller runs it alone through `execute`).
   */
  async createAll(commands: readonly CaptureTradeCommand[], em: EntityManager): Promise<(CaptureResult | DomainError | undefined)[]> {
    await this.trades.lockSourceTrades(em, commands);
    const existing = await this.trades.bySourceKeys(em, commands);
    const at = this.now().toISOString();
    const fresh: { index: number; command: CaptureTradeCommand; terms: TradeTerms; identity: TradeIdentity }[] = [];
    const results: (CaptureResult | DomainError | undefined)[] = commands.map(() => undefined);
    commands.forEach((command, index) => {
      if (command.action !== 'NEW' || existing.has(sourceKeyOf(command.sourceSystem, command.sourceTradeId))) return;
      try {
        // As `apply` decides a NEW of a trade not captured yet (an unversioned one is numbered 2, and refused).
        const terms = this.termsOf(command);
        const version = command.version ?? 2;
        decideVersion('NEW', version, termsHash(terms), null, null);
        fresh.push({ index, command, terms, identity: { tradeId: randomUUID(), version, status: 'CAPTURED', createdAt: at, updatedAt: at } });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results[index] = error;
      }
    });
    const enriched = await this.enrichAll(em, fresh);
    const created: { index: number; command: CaptureTradeCommand; trade: CapturedTrade; contentHash: string }[] = [];
    enriched.forEach((trade, k) => {
      if (trade instanceof DomainError) results[fresh[k].index] = trade;
      else created.push({ index: fresh[k].index, command: fresh[k].command, trade, contentHash: termsHash(fresh[k].terms) });
    });
    if (created.length === 0) return results;
    await this.trades.saveNew(em, created);
    await this.outbox.add(
      em,
      created.map(({ command, trade }) => ({
        topic: Topics.tradeCaptureTrades,
        key: trade.tradeId,
        type: EventTypes.tradeCaptured,
        data: trade,
        correlationId: command.correlationId,
        causationId: command.causationId,
      })),
    );
    const parked = await this.parking.takeFor<ParkedActionPayload>(
      em,
      created.map(({ trade }) => awaitedNew(trade.sourceSystem, trade.sourceTradeId)),
      PARKED_ACTION_KINDS,
    );
    for (const { index, command, trade } of created) {
      const waiting = parked.filter((p) => p.waitingFor.includes(awaitedNew(trade.sourceSystem, trade.sourceTradeId)));
      results[index] = { outcome: 'created', trade: waiting.length > 0 ? await this.applyParked(em, trade, waiting, command) : trade };
    }
    return results;
  }

  /**
   * An amend or cancel of a trade named by its platform id (REST): the row is locked and read once,
   * and `commandFor` builds the action from it (or refuses, e.g. for another source system).
   */
  async executeOnTrade(tradeId: string, commandFor: (trade: CapturedTrade) => CaptureTradeCommand, em: EntityManager): Promise<CaptureResult> {
    const current = await this.trades.byId(em, tradeId, { lock: true });
    if (current === null) throw DomainError.notFound('Trade', tradeId);
    return this.apply(commandFor(current), current, em);
  }

  private async apply(command: CaptureTradeCommand, current: CapturedTrade | null, em: EntityManager): Promise<CaptureResult> {
    // Operations cancel by REST without a version: cancelling a cancelled trade again changes nothing.
    if (command.action === 'CANCEL' && command.version === undefined && current?.status === 'CANCELLED') return { outcome: 'replayed', trade: current };
    const version = command.version ?? (current ? current.version + 1 : 2);
    const hash = command.action === 'CANCEL' ? cancelHash(command.reason) : termsHash(this.termsOf(command));
    const recorded = current !== null && version <= current.version ? await this.trades.recordedVersion(em, current.tradeId, version) : null;
    const decision = decideVersion(command.action, version, hash, current, recorded);

    if (decision.kind === 'replay') return { outcome: 'replayed', trade: current };
    if (decision.kind === 'wait') {
      if (command.origin === 'rest') throw DomainError.notFound('Trade', `${command.sourceSystem}/${command.sourceTradeId}`);
      return this.park(em, command, version, hash);
    }

    const at = this.now().toISOString();
    const events = { correlationId: command.correlationId, causationId: command.causationId };
    if (command.action === 'NEW') {
      const trade = await this.enrich(em, this.termsOf(command), { tradeId: randomUUID(), version, status: 'CAPTURED', createdAt: at, updatedAt: at });
      await this.trades.save(em, trade, 'NEW', hash);
      await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: trade.tradeId, type: EventTypes.tradeCaptured, data: trade, ...events });
      return { outcome: 'created', trade };
    }
    const previous = current!;
    if (command.action === 'AMEND') {
      const identity = { tradeId: previous.tradeId, version, status: 'AMENDED' as const, createdAt: previous.createdAt, updatedAt: at };
      const trade = await this.enrich(em, this.termsOf(command), identity);
      await this.trades.save(em, trade, 'AMEND', hash);
      await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: trade.tradeId, type: EventTypes.tradeAmended, data: { ...trade, previous }, ...events });
      return { outcome: 'applied', trade };
    }
    const cancelled: CapturedTrade = { ...previous, version, status: 'CANCELLED', cancelReason: command.reason ?? null, updatedAt: at };
    await this.trades.save(em, cancelled, 'CANCEL', hash);
    await this.outbox.add(em, { topic: Topics.tradeCaptureTrades, key: cancelled.tradeId, type: EventTypes.tradeCancelled, data: cancelled, ...events });
    return { outcome: 'applied', trade: cancelled };
  }

  /**
   * Parks an action whose trade is unknown. The same version parked again with the same content is
   * the same wait; with other content it is rejected at once, so neither action disappears.
   */
  private async park(em: EntityManager, command: CaptureTradeCommand, version: number, hash: string): Promise<CaptureResult> {
    const key = parkedActionKey(command.sourceSystem, command.sourceTradeId, version);
    // Under the upstream trade's lock (taken by `execute`): no other transaction parks this version meanwhile.
    const [waiting] = await this.parking.find<ParkedActionPayload>(em, PARKED_ACTION_KINDS, [key]);
    if (waiting !== undefined) {
      if (waiting.payload.contentHash === hash) return { outcome: 'parked', trade: null };
      throw DomainError.conflict(
        `version ${version} is already parked as a different ${waiting.payload.action} waiting for this trade's NEW`,
        'parked-version-conflict',
      );
    }
    const awaited = awaitedNew(command.sourceSystem, command.sourceTradeId);
    await this.parking.park(em, [
      {
        kind: command.action,
        inputKey: key,
        waitingFor: [awaited],
        reason: `waiting for the NEW of ${awaited}`,
        payload: {
          sourceSystem: command.sourceSystem,
          sourceTradeId: command.sourceTradeId,
          version,
          action: command.action,
          reported: command.reported ?? {},
          contentHash: hash,
        } satisfies ParkedActionPayload,
        message: command.message ?? null,
        eventId: command.causationId ?? null,
        eventType: command.message?.headers.ce_type ?? null,
        expiresInMs: this.parkedActionTimeoutMs,
      },
    ]);
    return { outcome: 'parked', trade: null };
  }

  /**
   * Applies, in version order, the actions that were parked waiting for this NEW, and acknowledges
   * each to its sender: ACCEPTED, or REJECTED with the reason and dead-lettered when it breaks a
   * rule (its savepoint is rolled back, so it cannot undo the NEW or the actions before it).
   */
  private async releaseParked(em: EntityManager, captured: CapturedTrade, command: CaptureTradeCommand): Promise<CapturedTrade> {
    const taken = await this.parking.takeFor<ParkedActionPayload>(em, [awaitedNew(captured.sourceSystem, captured.sourceTradeId)], PARKED_ACTION_KINDS);
    return this.applyParked(em, captured, taken, command);
  }

  /** Applies actions taken out of the parking lot for this NEW, in version order (see `releaseParked`). */
  private async applyParked(em: EntityManager, captured: CapturedTrade, taken: ParkedAction[], command: CaptureTradeCommand): Promise<CapturedTrade> {
    let trade = captured;
    for (const parked of [...taken].sort((a, b) => a.payload.version - b.payload.version)) {
      const released = this.commandOf(parked, command.correlationId);
      const message = {
        messageId: parked.eventId ?? randomUUID(),
        sourceSystem: parked.payload.sourceSystem,
        sourceTradeId: parked.payload.sourceTradeId,
        version: parked.payload.version,
        action: parked.payload.action,
        correlationId: command.correlationId,
      };
      await em.query('savepoint release_parked_action');
      try {
        const result = await this.apply(released, trade, em);
        await em.query('release savepoint release_parked_action');
        trade = result.trade ?? trade;
        await this.acknowledgements.acknowledge(em, message, result.outcome === 'replayed' ? 'REPLAYED' : 'ACCEPTED', trade.tradeId);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await em.query('rollback to savepoint release_parked_action');
        await this.acknowledgements.acknowledge(em, message, 'REJECTED', trade.tradeId, rejectionErrors(error));
        await this.parking.deadLetter(em, parked, rejectionReason(error));
      }
    }
    return trade;
  }

  private commandOf(parked: ParkedAction, correlationId: string | undefined): CaptureTradeCommand {
    const { reported, action, version, sourceSystem, sourceTradeId } = parked.payload;
    return {
      action,
      version,
      sourceSystem,
      sourceTradeId,
      terms: action === 'CANCEL' ? undefined : tradeTermsOf(reported),
      reason: typeof reported.reason === 'string' ? reported.reason : undefined,
      origin: 'kafka',
      reported,
      message: parked.message ?? undefined,
      correlationId,
      causationId: parked.eventId ?? undefined,
    };
  }

  private termsOf(command: CaptureTradeCommand): TradeTerms {
    if (command.terms === undefined) throw DomainError.invalid('payload', `an ${command.action} must carry the trade's terms`);
    return command.terms;
  }

  /** Three round trips whatever the trade: its parties and instrument, then the SSI locks, then the SSIs. */
  private async enrich(em: EntityManager, terms: TradeTerms, identity: TradeIdentity): Promise<CapturedTrade> {
    const [enriched] = await this.enrichAll(em, [{ terms, identity }]);
    if (enriched instanceof DomainError) throw enriched;
    return enriched;
  }

  /**
   * Enriches many trades in three round trips whatever their number (parties and instruments, the
   * SSI locks, the SSIs); a trade that breaks a rule comes back as its DomainError, and the others
   * are not held up by it.
   */
  private async enrichAll(em: EntityManager, trades: readonly { terms: TradeTerms; identity: TradeIdentity }[]): Promise<(CapturedTrade | DomainError)[]> {
    const { instruments, counterparties, legalEntities } = await this.referenceData.tradeParties(em, trades.map((t) => t.terms));
    const ssiKeys = (terms: TradeTerms) => {
      const instrument = instruments.get(terms.isin);
      if (instrument === undefined) return null;
      const at = { market: instrument.settlementMarket, currency: terms.currency };
      return { ours: { lei: terms.legalEntityLei, ...at }, theirs: { lei: terms.counterpartyLei, ...at } };
    };
    const keysOf = trades.map((t) => ssiKeys(t.terms));
    const ssis = await this.referenceData.lockedSsis(em, keysOf.flatMap((keys) => (keys ? [keys.ours, keys.theirs] : [])));
    return trades.map(({ terms, identity }, k) => {
      const keys = keysOf[k];
      const reference = {
        instrument: instruments.get(terms.isin) ?? null,
        counterparty: counterparties.get(terms.counterpartyLei) ?? null,
        legalEntity: legalEntities.get(terms.legalEntityLei) ?? null,
        ssis: { ours: keys ? (ssis.get(ssiKeyOf(keys.ours)) ?? null) : null, theirs: keys ? (ssis.get(ssiKeyOf(keys.theirs)) ?? null) : null },
      };
      try {
        return enrichTrade(terms, reference, identity, this.now());
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
    });
  }
}
