import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeComplianceDecision, decodeMatch, decodeSsiUpserted, decodeTrade, EventTypes, SettlementStatusReported } from '@postrade/contracts';
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
export class TradeEventHandler implements EventHandler {
  readonly eventTypes = [EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled, EventTypes.tradeEnriched];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  /** A run of a partition at once: one locking pass over all its trades, each group planned once (GateTradesHandler). */
  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.map((event): GateInput => ({ kind: 'trade', terms: settlementTermsOf(decodeTrade(event.envelope.data)), cause: causeOf(event) })));
  }
}

/** `matching.results.v1` → the settlement gate (AFFIRMED, or MATCHED when affirmation is off). */
@Injectable()
export class MatchResultHandler implements EventHandler {
  readonly eventTypes = [
    EventTypes.matchMatched,
    EventTypes.matchMismatched,
    EventTypes.matchAffirmed,
    EventTypes.matchUnmatched,
    EventTypes.matchCancelled,
    EventTypes.matchAlleged,
  ];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.flatMap((event): GateInput[] => {
      const match = decodeMatch(event.envelope.data);
      // An alleged confirmation pairs with no trade yet: nothing for settlement to gate.
      if (match.tradeId === null) return [];
      return [{ kind: 'match', tradeId: match.tradeId, status: match.status, cause: causeOf(event) }];
    }));
  }
}

/** `compliance.decisions.v1` → the settlement gate (CLEARED or RELEASED lets it through, HELD holds). */
@Injectable()
export class ComplianceDecisionHandler implements EventHandler {
  readonly eventTypes = [EventTypes.complianceCleared, EventTypes.complianceHeld, EventTypes.complianceReleased, EventTypes.complianceRejected];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.gate.apply(em, events.map((event): GateInput => {
      const decision = decodeComplianceDecision(event.envelope.data);
      return { kind: 'compliance', tradeId: decision.tradeId, outcome: decision.outcome, tradeVersion: decision.tradeVersion, cause: causeOf(event) };
    }));
  }
}

/**
 * `trade-capture.reference-data.v1`, `postrade.ssi.upserted.v1` → an instruction the custodian
 * rejected is re-sent when the SSI it went out with is corrected (GateTradesHandler.onSsiCorrected).
 */
@Injectable()
export class SsiUpsertedHandler implements EventHandler {
  readonly eventTypes = [EventTypes.ssiUpserted];

  constructor(private readonly gate: GateTradesHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.gate.onSsiCorrected(em, decodeSsiUpserted(event.envelope.data), causeOf(event));
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
      return { instructionId, update: update as StatusUpdate, cause: causeOf(event), message: event.message, sentBy: `kafka:${event.envelope.source}` };
    }));
  }
}
