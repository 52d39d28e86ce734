import { DomainError } from '@postrade/kernel';
import { Topics, type TopicName } from './topics';

/** CloudEvents `ce_type` values, v1. */
export const EventTypes = {
  tradeReported: 'postrade.trade.reported.v1',

  tradeCaptured: 'postrade.trade.captured.v1',
  tradeAmended: 'postrade.trade.amended.v1',
  tradeCancelled: 'postrade.trade.cancelled.v1',
  tradeEnriched: 'postrade.trade.enriched.v1',
  tradeAcknowledged: 'postrade.trade.acknowledged.v1',

  counterpartyUpserted: 'postrade.counterparty.upserted.v1',
  instrumentUpserted: 'postrade.instrument.upserted.v1',
  legalEntityUpserted: 'postrade.legal-entity.upserted.v1',
  ssiUpserted: 'postrade.ssi.upserted.v1',

  confirmationReceived: 'postrade.confirmation.received.v1',

  matchMatched: 'postrade.match.matched.v1',
  matchMismatched: 'postrade.match.mismatched.v1',
  matchAffirmed: 'postrade.match.affirmed.v1',
  matchAlleged: 'postrade.match.alleged.v1',
  matchUnmatched: 'postrade.match.unmatched.v1',
  matchCancelled: 'postrade.match.cancelled.v1',

  complianceCleared: 'postrade.compliance.cleared.v1',
  complianceHeld: 'postrade.compliance.held.v1',
  complianceReleased: 'postrade.compliance.released.v1',
  complianceRejected: 'postrade.compliance.rejected.v1',

  settlementStatusReported: 'postrade.settlement.status-reported.v1',

  settlementInstructed: 'postrade.settlement.instructed.v1',
  settlementPartiallySettled: 'postrade.settlement.partially-settled.v1',
  settlementSettled: 'postrade.settlement.settled.v1',
  settlementFailed: 'postrade.settlement.failed.v1',
  settlementCancelled: 'postrade.settlement.cancelled.v1',
  settlementPenaltyAssessed: 'postrade.settlement.penalty-assessed.v1',

  settlementInstruction: 'postrade.settlement.instruction.v1',
  settlementHoldRequest: 'postrade.settlement.hold-request.v1',
  settlementCancellationRequest: 'postrade.settlement.cancellation-request.v1',

  ledgerEntryPosted: 'postrade.ledger.entry-posted.v1',

  statementReceived: 'postrade.statement.received.v1',

  reconBreakOpened: 'postrade.recon.break-opened.v1',
  reconBreakChanged: 'postrade.recon.break-changed.v1',
  reconBreakClosed: 'postrade.recon.break-closed.v1',

  auditChainsAnchored: 'postrade.audit.chains-anchored.v1',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/** The topic each event type is published on. DLQs carry any type and are not listed. */
export const EVENT_TYPE_TOPICS: Readonly<Record<EventType, TopicName>> = Object.freeze({
  [EventTypes.tradeReported]: Topics.tradesInbound,

  [EventTypes.tradeCaptured]: Topics.tradeCaptureTrades,
  [EventTypes.tradeAmended]: Topics.tradeCaptureTrades,
  [EventTypes.tradeCancelled]: Topics.tradeCaptureTrades,
  [EventTypes.tradeEnriched]: Topics.tradeCaptureTrades,
  [EventTypes.tradeAcknowledged]: Topics.tradeCaptureAcks,

  [EventTypes.counterpartyUpserted]: Topics.tradeCaptureReferenceData,
  [EventTypes.instrumentUpserted]: Topics.tradeCaptureReferenceData,
  [EventTypes.legalEntityUpserted]: Topics.tradeCaptureReferenceData,
  [EventTypes.ssiUpserted]: Topics.tradeCaptureReferenceData,

  [EventTypes.confirmationReceived]: Topics.confirmationsInbound,

  [EventTypes.matchMatched]: Topics.matchingResults,
  [EventTypes.matchMismatched]: Topics.matchingResults,
  [EventTypes.matchAffirmed]: Topics.matchingResults,
  [EventTypes.matchAlleged]: Topics.matchingResults,
  [EventTypes.matchUnmatched]: Topics.matchingResults,
  [EventTypes.matchCancelled]: Topics.matchingResults,

  [EventTypes.complianceCleared]: Topics.complianceDecisions,
  [EventTypes.complianceHeld]: Topics.complianceDecisions,
  [EventTypes.complianceReleased]: Topics.complianceDecisions,
  [EventTypes.complianceRejected]: Topics.complianceDecisions,

  [EventTypes.settlementStatusReported]: Topics.settlementStatusInbound,

  [EventTypes.settlementInstructed]: Topics.settlementEvents,
  [EventTypes.settlementPartiallySettled]: Topics.settlementEvents,
  [EventTypes.settlementSettled]: Topics.settlementEvents,
  [EventTypes.settlementFailed]: Topics.settlementEvents,
  [EventTypes.settlementCancelled]: Topics.settlementEvents,
  [EventTypes.settlementPenaltyAssessed]: Topics.settlementEvents,

  [EventTypes.settlementInstruction]: Topics.settlementInstructionsOutbound,
  [EventTypes.settlementHoldRequest]: Topics.settlementInstructionsOutbound,
  [EventTypes.settlementCancellationRequest]: Topics.settlementInstructionsOutbound,

  [EventTypes.ledgerEntryPosted]: Topics.ledgerEvents,

  [EventTypes.statementReceived]: Topics.statementsInbound,

  [EventTypes.reconBreakOpened]: Topics.reconciliationBreaks,
  [EventTypes.reconBreakChanged]: Topics.reconciliationBreaks,
  [EventTypes.reconBreakClosed]: Topics.reconciliationBreaks,

  [EventTypes.auditChainsAnchored]: Topics.auditAnchors,
});

export const EVENT_TYPES: readonly EventType[] = Object.freeze(Object.values(EventTypes));

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPE_TOPICS, value);
}

/** The topic an event of this type is published on; throws for a type Postrade does not know. */
export function topicForEventType(type: string): TopicName {
  if (!isEventType(type)) throw DomainError.invalid('ce_type', `"${type}" is not a Postrade event type`);
  return EVENT_TYPE_TOPICS[type];
}

/** The event types published on a topic (none for a DLQ). */
export function eventTypesOn(topic: TopicName): EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_TYPE_TOPICS[type] === topic);
}
