import type { EntityManager } from 'typeorm';
import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import { EventTypes, Topics, type InstructionHistoryEntry, type InstructionResource, type SettlementChange } from '@postrade/contracts';
import type { EventToPublish, Outbox } from '@postrade/messaging';
import { settlementStatusOf } from '../domain/instruction-status';
import { renderSese023 } from '../domain/iso20022/sese023';
import type { InstructionRepository, StoredInstruction } from '../persistence/instruction.repository';

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
    settledQuantity: status.settledQuantity,
    settledAmount: toDecimalString(new Decimal(status.settledAmount), minorUnits(terms.currency)),
    failingParty: status.failingParty,
    failReasonCode: status.failReasonCode,
    history,
    createdAt: instruction.createdAt,
    updatedAt: instruction.updatedAt,
  };
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
}
