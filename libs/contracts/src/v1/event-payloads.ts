import type { ChainAnchor } from '@postrade/kernel';
import type { EventEnvelope } from '../cloudevents';
import { EventTypes, type EventType } from './event-types';
import type { ConfirmationReceived } from './payloads/confirmation-received.payload';
import type { SettlementStatusReported } from './payloads/settlement-status-reported.payload';
import type { TradeReported } from './payloads/trade-reported.payload';
import type { ComplianceDecisionResource } from './resources/compliance-decision.resource';
import type { SettlementCustodianRequestPayload, SettlementEventPayload, SettlementInstructionPayload } from './resources/instruction.resource';
import type { JournalEntryResource } from './resources/journal-entry.resource';
import type { MatchResource } from './resources/match.resource';
import type { BreakResource, StatementReceivedPayload } from './resources/reconciliation.resource';
import type {
  CounterpartyResource,
  InstrumentResource,
  LegalEntityResource,
  SsiResource,
} from './resources/reference-data.resource';
import type { TradeAcknowledgedPayload, TradeAmendedPayload, TradeResource } from './resources/trade.resource';

/** The value (`data`) each event type carries. */
export interface EventPayloads {
  [EventTypes.tradeReported]: TradeReported;

  [EventTypes.tradeCaptured]: TradeResource;
  [EventTypes.tradeAmended]: TradeAmendedPayload;
  [EventTypes.tradeCancelled]: TradeResource;
  [EventTypes.tradeEnriched]: TradeResource;
  [EventTypes.tradeAcknowledged]: TradeAcknowledgedPayload;

  [EventTypes.counterpartyUpserted]: CounterpartyResource;
  [EventTypes.instrumentUpserted]: InstrumentResource;
  [EventTypes.legalEntityUpserted]: LegalEntityResource;
  [EventTypes.ssiUpserted]: SsiResource;

  [EventTypes.confirmationReceived]: ConfirmationReceived;

  [EventTypes.matchMatched]: MatchResource;
  [EventTypes.matchMismatched]: MatchResource;
  [EventTypes.matchAffirmed]: MatchResource;
  [EventTypes.matchAlleged]: MatchResource;
  [EventTypes.matchUnmatched]: MatchResource;
  [EventTypes.matchCancelled]: MatchResource;

  [EventTypes.complianceCleared]: ComplianceDecisionResource;
  [EventTypes.complianceHeld]: ComplianceDecisionResource;
  [EventTypes.complianceReleased]: ComplianceDecisionResource;
  [EventTypes.complianceRejected]: ComplianceDecisionResource;

  [EventTypes.settlementStatusReported]: SettlementStatusReported;

  [EventTypes.settlementInstructed]: SettlementEventPayload;
  [EventTypes.settlementPartiallySettled]: SettlementEventPayload;
  [EventTypes.settlementSettled]: SettlementEventPayload;
  [EventTypes.settlementFailed]: SettlementEventPayload;
  [EventTypes.settlementCancelled]: SettlementEventPayload;
  [EventTypes.settlementPenaltyAssessed]: SettlementEventPayload;

  [EventTypes.settlementInstruction]: SettlementInstructionPayload;
  [EventTypes.settlementHoldRequest]: SettlementCustodianRequestPayload;
  [EventTypes.settlementCancellationRequest]: SettlementCustodianRequestPayload;

  [EventTypes.ledgerEntryPosted]: JournalEntryResource;

  [EventTypes.statementReceived]: StatementReceivedPayload;

  [EventTypes.reconBreakOpened]: BreakResource;
  [EventTypes.reconBreakChanged]: BreakResource;
  [EventTypes.reconBreakClosed]: BreakResource;

  /** A signed statement of a trail's chain heads (docs/anchors.md). */
  [EventTypes.auditChainsAnchored]: ChainAnchor;
}

// Compile-time guard: adding an event type without saying what it carries does not type-check.
type EventTypesWithoutPayload = Exclude<EventType, keyof EventPayloads>;
const _everyEventTypeHasAPayload: [EventTypesWithoutPayload] extends [never] ? true : never = true;

export type EventPayload<K extends EventType> = EventPayloads[K];

/** An envelope whose type and data agree, e.g. `TypedEventEnvelope<'postrade.trade.captured.v1'>`. */
export type TypedEventEnvelope<K extends EventType> = EventEnvelope<EventPayloads[K]> & { type: K };
