import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes, SettlementStatusReported, type ComplianceDecisionResource, type MatchResource, type TradeResource } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { DomainError } from '@postrade/kernel';
import { ApplyStatusUpdateHandler, type ReportedStatusUpdate } from '../application/apply-status-update/apply-status-update.command-handler';
import { GateTradesHandler, type GateInput } from '../application/gate-trades/gate-trades.command-handler';
import { settlementTermsOf } from '../application/gate-trades/trade-settlement-terms';
import type { StatusUpdate } from '../domain/instruction-status';
import { instructionIdOfReference } from '@postrade/contracts';

const causeOf = (event: ConsumedEvent) => ({ correlationId: event.envelope.correlationId ?? event.envelope.id, causationId: event.envelope.id });

/** `trade-capture.trades.v1`: captured, amended, enriched, cancelled → the settlement gate. */
@Injectable()
export class TradeEventHandler implements EventHandler<TradeResource> {
  readonly eventTypes = [EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled, EventTypes.tradeEnriched];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent<TradeResource>, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  /** A run of a partition at once: one locking pass over all its trades, each group planned once (GateTradesHandler). */
  async handleBatch(events: ConsumedEvent<TradeResource>[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.map((event): GateInput => {
      const trade = event.envelope.data;
      if (typeof trade?.tradeId !== 'string' || typeof trade.version !== 'number' || !trade.counterparty || !trade.legalEntity || !trade.instrument || !trade.ssis) {
        throw DomainError.invalid('payload', 'is not a trade resource (tradeId, version, counterparty, legalEntity, instrument and ssis are required)');
      }
      return { kind: 'trade', terms: settlementTermsOf(trade), cause: causeOf(event) };
    }));
  }
}

/** `matching.results.v1` → the settlement gate (AFFIRMED, or MATCHED when affirmation is off). */
@Injectable()
export class MatchResultHandler implements EventHandler<MatchResource> {
  readonly eventTypes = [
    EventTypes.matchMatched,
    EventTypes.matchMismatched,
    EventTypes.matchAffirmed,
    EventTypes.matchUnmatched,
    EventTypes.matchCancelled,
    EventTypes.matchAlleged,
  ];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent<MatchResource>, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent<MatchResource>[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.flatMap((event): GateInput[] => {
      const match = event.envelope.data;
      // An alleged confirmation pairs with no trade yet: nothing for settlement to gate.
      if (match?.tradeId === null || match?.tradeId === undefined) return [];
      return [{ kind: 'match', tradeId: match.tradeId, status: match.status, cause: causeOf(event) }];
    }));
  }
}

/** `compliance.decisions.v1` → the settlement gate (CLEARED or RELEASED lets it through, HELD holds). */
@Injectable()
export class ComplianceDecisionHandler implements EventHandler<ComplianceDecisionResource> {
  readonly eventTypes = [EventTypes.complianceCleared, EventTypes.complianceHeld, EventTypes.complianceReleased, EventTypes.complianceRejected];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent<ComplianceDecisionResource>, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent<ComplianceDecisionResource>[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.map((event): GateInput => {
      const decision = event.envelope.data;
      if (typeof decision?.tradeId !== 'string' || typeof decision.tradeVersion !== 'number') {
        throw DomainError.invalid('payload', 'is not a compliance decision (tradeId and tradeVersion are required)');
      }
      return { kind: 'compliance', tradeId: decision.tradeId, outcome: decision.outcome, tradeVersion: decision.tradeVersion, cause: causeOf(event) };
    }));
  }
}

/**
 * `settlement.status.inbound.v1` → the same use case as the REST status update; unknown
 * instructions park. A run of a partition is applied at once (`ApplyStatusUpdateHandler.applyBatch`:
 * its instructions locked in id order in one statement, a statement per kind of write); an update
 * that breaks a rule throws, and the consumer re-applies the run one event at a time so that only
 * that update is dead-lettered.
 */
@Injectable()
export class StatusReportedHandler implements EventHandler<SettlementStatusReported> {
  readonly eventTypes = [EventTypes.settlementStatusReported];
  readonly payloadClass = SettlementStatusReported;

  constructor(private readonly statusUpdates: ApplyStatusUpdateHandler) {}

  async handle(event: ConsumedEvent<SettlementStatusReported>, em: EntityManager): Promise<void> {
    await this.apply([event], em);
  }

  async handleBatch(events: ConsumedEvent<SettlementStatusReported>[], em: EntityManager): Promise<void> {
    await this.apply(events, em);
  }

  private async apply(events: ConsumedEvent<SettlementStatusReported>[], em: EntityManager): Promise<void> {
    await this.statusUpdates.applyBatch(em, events.map((event): ReportedStatusUpdate => {
      const { instructionId: named, ...update } = event.envelope.data;
      const instructionId = instructionIdOfReference(named);
      if (instructionId === null) throw DomainError.invalid('instructionId', `"${named}" is not an instruction id or reference of ours`);
      return { instructionId, update: update as StatusUpdate, cause: causeOf(event) };
    }));
  }
}
