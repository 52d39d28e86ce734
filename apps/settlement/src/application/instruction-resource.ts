import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import { EventTypes, Topics, type CustodianRequestAction, type InstructionHistoryEntry, type InstructionResource, type SettlementChange } from '@postrade/contracts';
import type { EventToPublish, Outbox } from '@postrade/messaging';
import { custodianStateOf, settlementStatusOf, type CustodianHold, type CustodianState, type InstructionException, type InstructionStatus } from '../domain/instruction-status';
import { renderSese020 } from '../domain/iso20022/sese020';
import { renderSese023 } from '../domain/iso20022/sese023';
import { renderSese030 } from '../domain/iso20022/sese030';
import type { InstructionRepository, StoredInstruction } from '../persistence/instruction.repository';

/**
 * One hold on the instruction, in Postrade and at the custodian: `heldByUs` whether Postrade holds
 * it (it is then named in `holds`), `custodian` where it stands at the depository (asked for,
 * confirmed, refused, its release asked for or refused) and `custodianReason` the custodian's
 * reason code with its last answer. Listed while either side holds it or a request is open.
 */
export interface HoldView {
  hold: 'PARTY_HOLD';
  heldByUs: boolean;
  custodian: CustodianHold;
  custodianReason: string | null;
}

export function holdDetailsOf(status: InstructionStatus): HoldView[] {
  const custodian = custodianStateOf(status);
  if (!status.partyHold && custodian.hold === null) return [];
  return [{ hold: 'PARTY_HOLD', heldByUs: status.partyHold, custodian: custodian.hold, custodianReason: custodian.holdReason }];
}

/**
 * The instruction as the API and the events show it. The contract's resource plus what operations
 * need to read it: the reference the custodian sees, why it is pending, which way the cash goes,
 * who is failing and why, and whether trades were netted.
 */
export interface InstructionView extends Omit<InstructionResource, 'ssis'> {
  reference: string;
  ssis: { ours: object | null; theirs: object | null };
  pendingReason: string | null;
  cashDirection: string;
  accruedInterest: string;
  settlementMarket: string;
  counterpartyLei: string;
  legalEntityLei: string;
  netted: boolean;
  failingParty: string | null;
  failReasonCode: string | null;
  /** Each hold with where it stands at the custodian (a refused hold: `custodian: REJECTED` with the reason code). */
  holdDetails: HoldView[];
  /** How the custodian has it: sent, answered, the hold there, our cancellation request and its answer (issue 17). */
  custodian: Omit<CustodianState, 'exceptions'>;
  /** Raised for operations, e.g. SETTLED_WHILE_HELD: the depository settled it while it was held. */
  exceptions: InstructionException[];
  createdAt: string;
  updatedAt: string;
}

export function toInstructionView(instruction: StoredInstruction, history: InstructionHistoryEntry[]): InstructionView {
  const { terms, status } = instruction;
  return {
    instructionId: instruction.instructionId,
    reference: instruction.reference,
    tradeIds: terms.tradeIds,
    type: terms.type,
    direction: terms.direction,
    cashDirection: terms.cashDirection,
    isin: terms.isin,
    quantity: terms.quantity,
    settlementAmount: terms.settlementAmount,
    accruedInterest: terms.accruedInterest,
    currency: terms.currency,
    intendedSettlementDate: terms.intendedSettlementDate,
    settlementMarket: terms.settlementMarket,
    counterpartyLei: terms.counterpartyLei,
    legalEntityLei: terms.legalEntityLei,
    netted: terms.netted,
    ssis: terms.ssis,
    processingStatus: status.processingStatus,
    pendingReason: status.pendingReason,
    matchingStatus: status.matchingStatus,
    settlementStatus: settlementStatusOf(status),
    holds: status.partyHold ? ['PARTY_HOLD'] : [],
    holdDetails: holdDetailsOf(status),
    settledQuantity: status.settledQuantity,
    settledAmount: toDecimalString(new Decimal(status.settledAmount), minorUnits(terms.currency)),
    failingParty: status.failingParty,
    failReasonCode: status.failReasonCode,
    custodian: custodianView(custodianStateOf(status)),
    exceptions: custodianStateOf(status).exceptions,
    history,
    createdAt: instruction.createdAt,
    updatedAt: instruction.updatedAt,
  };
}

function custodianView({ exceptions: _exceptions, ...rest }: CustodianState): Omit<CustodianState, 'exceptions'> {
  return rest;
}

export type SettlementEventName = 'instructed' | 'partially-settled' | 'settled' | 'failed' | 'cancelled' | 'penalty-assessed';

const EVENT_TYPE: Record<SettlementEventName, string> = {
  instructed: EventTypes.settlementInstructed,
  'partially-settled': EventTypes.settlementPartiallySettled,
  settled: EventTypes.settlementSettled,
  failed: EventTypes.settlementFailed,
  cancelled: EventTypes.settlementCancelled,
  'penalty-assessed': EventTypes.settlementPenaltyAssessed,
};

export interface InstructionEvent {
  instructionId: string;
  event: SettlementEventName;
  change: SettlementChange;
  /** The instruction as it stands after the change, when the caller has it (else it is read). */
  instruction?: StoredInstruction;
  /** Its rendered view, history included, when the caller has it already. */
  view?: InstructionView;
  /** The event that caused this one, when it is not the cause given for the whole call. */
  cause?: { correlationId?: string; causationId?: string };
}

/** A request to the custodian about an instruction it has: hold, release (sese.030) or cancel (sese.020). */
export interface CustodianRequest {
  /** This request's own reference (`custodianRequestId`). */
  requestId: string;
  instruction: StoredInstruction;
  action: CustodianRequestAction;
  reason?: string;
  cause?: { correlationId?: string; causationId?: string };
}

/** This request's own reference (Max35Text): the action's letter and a fresh id. */
export function custodianRequestId(action: CustodianRequestAction): string {
  return `${action === 'CANCEL' ? 'C' : action === 'HOLD' ? 'H' : 'R'}${randomUUID().replace(/-/g, '').toUpperCase()}`;
}

/**
 * Publishes settlement events through the outbox, in the caller's transaction: each carries the
 * instruction as it stands after the change, plus the change. An `instructed` event is also sent
 * to the custodian on `settlement.instructions.outbound.v1` with the sese.023 XML.
 */
export class InstructionEvents {
  constructor(
    private readonly instructions: InstructionRepository,
    private readonly outbox: Outbox,
  ) {}

  async publish(em: EntityManager, events: readonly InstructionEvent[], cause: { correlationId?: string; causationId?: string } = {}): Promise<void> {
    if (events.length === 0) return;
    const views = new Map(events.flatMap((e) => (e.view ? [[e.instructionId, e.view] as const] : [])));
    const ids = [...new Set(events.map((e) => e.instructionId))].filter((id) => !views.has(id));
    const stored = new Map(events.flatMap((e) => (e.instruction ? [[e.instructionId, e.instruction] as const] : [])));
    for (const instruction of await this.instructions.getMany(em, ids.filter((id) => !stored.has(id)))) stored.set(instruction.instructionId, instruction);
    const histories = await this.instructions.history(em, ids);
    for (const id of ids) views.set(id, toInstructionView(stored.get(id)!, histories.get(id) ?? []));
    await this.outbox.add(
      em,
      events.flatMap((e) => {
        const view = views.get(e.instructionId)!;
        const causedBy = e.cause ?? cause;
        const published: EventToPublish[] = [{ topic: Topics.settlementEvents, key: e.instructionId, type: EVENT_TYPE[e.event], data: { ...view, change: e.change }, ...causedBy }];
        if (e.event === 'instructed') {
          const sese023 = renderSese023(e.instruction ?? stored.get(e.instructionId)!);
          published.push({ topic: Topics.settlementInstructionsOutbound, key: e.instructionId, type: EventTypes.settlementInstruction, data: { ...view, sese023 }, ...causedBy });
        }
        return published;
      }),
    );
  }

  /**
   * Sends requests to the custodian on `settlement.instructions.outbound.v1`, in the caller's
   * transaction: `postrade.settlement.hold-request.v1` with the sese.030 (HOLD, RELEASE),
   * `postrade.settlement.cancellation-request.v1` with the sese.020 (CANCEL); each carries the
   * instruction as it stands and the request.
   */
  async request(em: EntityManager, requests: readonly CustodianRequest[], cause: { correlationId?: string; causationId?: string } = {}): Promise<void> {
    if (requests.length === 0) return;
    const histories = await this.instructions.history(em, [...new Set(requests.map((r) => r.instruction.instructionId))]);
    const published: EventToPublish[] = requests.map((r) => {
      const { instruction, action, requestId } = r;
      const view = toInstructionView(instruction, histories.get(instruction.instructionId) ?? []);
      const request = { requestId, action, ...(r.reason === undefined ? {} : { reason: r.reason }) };
      const message =
        action === 'CANCEL'
          ? { sese020: renderSese020({ reference: requestId, instructionReference: instruction.reference, terms: instruction.terms, tradeDate: instruction.tradeDate ?? null }) }
          : { sese030: renderSese030({ reference: requestId, instructionReference: instruction.reference, action, terms: instruction.terms }) };
      return {
        topic: Topics.settlementInstructionsOutbound,
        key: instruction.instructionId,
        type: action === 'CANCEL' ? EventTypes.settlementCancellationRequest : EventTypes.settlementHoldRequest,
        data: { ...view, request, ...message },
        ...(r.cause ?? cause),
      };
    });
    await this.outbox.add(em, published);
  }
}
