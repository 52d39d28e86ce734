import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ComplianceOutcome, MatchStatus } from '@postrade/contracts';
import type { InstructionStatus } from '../../domain/instruction-status';
import type { GatePolicy } from '../../domain/settlement-gate';
import { planSettlementGroup, type GroupPlan } from '../../domain/settlement-group';
import { hasBothSsis, instructionReference, settlementGroupKey, type InstructionTerms } from '../../domain/settlement-instruction';
import type { SettlementTradeTerms } from '../../domain/settlement-trade';
import type { InstructionRepository, StoredInstruction } from '../../persistence/instruction.repository';
import type { ReferenceRepository } from '../../persistence/reference.repository';
import type { StoredTradeGate, TradeGateRepository } from '../../persistence/trade-gate.repository';
import type { ApplyStatusUpdateHandler } from '../apply-status-update/apply-status-update.command-handler';
import type { InstructionEvent, InstructionEvents } from '../instruction-resource';

export interface EventCause {
  correlationId?: string;
  causationId?: string;
}

/**
 * Applies what the trade, matching and compliance streams say about a trade, then brings the
 * trade's settlement group (the trade alone, or the trades netted with it) in line with the gate:
 * instruct, re-issue, hold, release or cancel. Runs in the consumer's transaction.
 *
 * Locking: an advisory lock per trade serialises the events of one trade (its group can only
 * change under that lock), then the group locks are taken in key order, then the instruction rows.
 * No transaction waits for a trade lock while holding a group lock, so the order cannot deadlock.
 */
export class GateTradesHandler {
  constructor(
    private readonly trades: TradeGateRepository,
    private readonly instructions: InstructionRepository,
    private readonly reference: ReferenceRepository,
    private readonly events: InstructionEvents,
    private readonly statusUpdates: ApplyStatusUpdateHandler,
    private readonly policy: GatePolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** captured, amended, enriched or cancelled: the trade's settlement terms as of its version. */
  async onTrade(em: EntityManager, terms: SettlementTradeTerms, cause: EventCause): Promise<void> {
    const netting = await this.reference.nettingEnabled(em, terms.counterpartyLei);
    const groupKey = settlementGroupKey(terms, netting);
    await this.withTrade(em, terms.tradeId, [groupKey], cause, async (stored) => {
      // An older version arriving after a newer one changes nothing; `enriched` repeats the version with SSIs.
      if (stored?.terms && stored.terms.version > terms.version) return false;
      await this.trades.saveTerms(em, terms, groupKey);
      return true;
    });
  }

  async onMatch(em: EntityManager, tradeId: string, status: MatchStatus, cause: EventCause): Promise<void> {
    await this.withTrade(em, tradeId, [], cause, async () => {
      await this.trades.saveMatchStatus(em, tradeId, status);
      return true;
    });
  }

  async onComplianceDecision(em: EntityManager, tradeId: string, outcome: ComplianceOutcome, tradeVersion: number, cause: EventCause): Promise<void> {
    await this.withTrade(em, tradeId, [], cause, async (stored) => {
      if (stored?.compliance && stored.compliance.tradeVersion > tradeVersion) return false;
      await this.trades.saveComplianceDecision(em, tradeId, outcome, tradeVersion);
      return true;
    });
  }

  /** Serialises on the trade, locks its old and new groups, applies the change and re-plans the groups. */
  private async withTrade(
    em: EntityManager,
    tradeId: string,
    newGroupKeys: string[],
    cause: EventCause,
    change: (stored: StoredTradeGate | null) => Promise<boolean>,
  ): Promise<void> {
    await this.trades.lockTrade(em, tradeId);
    const stored = await this.trades.get(em, tradeId);
    const keys = [...new Set([stored?.groupKey ?? `trade:${tradeId}`, ...newGroupKeys])].sort();
    for (const key of keys) await this.trades.lockGroup(em, key);
    if (stored === null) await this.trades.ensure(em, tradeId);
    if (!(await change(stored))) return;
    for (const key of keys) await this.reconcile(em, key, cause);
  }

  private async reconcile(em: EntityManager, groupKey: string, cause: EventCause): Promise<void> {
    const members = await this.trades.inGroup(em, groupKey);
    if (members.length === 0) return;
    const ids = [...new Set(members.flatMap((m) => (m.instructionId ? [m.instructionId] : [])))].sort();
    const current = await this.instructions.getMany(em, ids, true);
    const plan = planSettlementGroup(members, current, this.policy);
    await this.execute(em, plan, members, new Map(current.map((c) => [c.instructionId, c])), cause);
  }

  private async execute(em: EntityManager, plan: GroupPlan, members: StoredTradeGate[], current: Map<string, StoredInstruction>, cause: EventCause): Promise<void> {
    const at = this.now().toISOString();
    const published: InstructionEvent[] = [];
    const created: string[] = [];

    for (const { instructionId, reason } of plan.cancel) {
      const instruction = current.get(instructionId)!;
      const status: InstructionStatus = { ...instruction.status, processingStatus: 'CANCELLED', pendingReason: null };
      await this.instructions.saveStatus(em, instructionId, status);
      await this.instructions.addHistory(em, instructionId, 'cancelled', { reason });
      await this.trades.pointAt(em, members.filter((m) => m.instructionId === instructionId).map((m) => m.tradeId), null);
      published.push({ instructionId, event: 'cancelled', change: { reason }, instruction: { ...instruction, status, updatedAt: at } });
    }
    if (plan.create !== null) {
      const instruction = this.newInstruction(plan.create.terms, plan.create.partyHold, at);
      await this.instructions.insert(em, instruction.instructionId, instruction.reference, instruction.terms, instruction.status);
      await this.trades.pointAt(em, instruction.terms.tradeIds, instruction.instructionId);
      await this.instructions.addHistory(em, instruction.instructionId, 'created', {
        tradeIds: instruction.terms.tradeIds,
        processingStatus: instruction.status.processingStatus,
        pendingReason: instruction.status.pendingReason,
        partyHold: instruction.status.partyHold,
        holdReasons: plan.holdReasons,
        replaces: plan.cancel.map((c) => c.instructionId),
      });
      if (instruction.status.processingStatus === 'INSTRUCTED') {
        published.push({ instructionId: instruction.instructionId, event: 'instructed', change: {}, instruction });
        created.push(instruction.instructionId);
      }
    }
    if (plan.update !== null) {
      const before = current.get(plan.update.instructionId)!;
      const terms: InstructionTerms = plan.update.terms;
      await this.instructions.updateTerms(em, before.instructionId, terms);
      const ready = hasBothSsis(terms);
      const status: InstructionStatus = {
        ...before.status,
        quantity: terms.quantity,
        settlementAmount: terms.settlementAmount,
        processingStatus: ready ? 'INSTRUCTED' : 'PENDING',
        pendingReason: ready ? null : 'SSI_MISSING',
        partyHold: plan.hold?.partyHold ?? before.status.partyHold,
      };
      await this.instructions.saveStatus(em, before.instructionId, status);
      await this.instructions.addHistory(em, before.instructionId, ready ? 'SSIs complete: instructed' : 'terms updated while pending', { pendingReason: status.pendingReason });
      if (ready) {
        published.push({ instructionId: before.instructionId, event: 'instructed', change: {}, instruction: { ...before, terms, status, updatedAt: at } });
        created.push(before.instructionId);
      }
    } else if (plan.hold !== null) {
      const before = current.get(plan.hold.instructionId)!;
      const status: InstructionStatus = { ...before.status, partyHold: plan.hold.partyHold };
      await this.instructions.saveStatus(em, before.instructionId, status);
      await this.instructions.addHistory(em, before.instructionId, plan.hold.partyHold ? 'party hold set' : 'party hold released', { waitingFor: plan.holdReasons });
    }
    for (const { instructionId, note } of plan.notes) await this.instructions.addHistory(em, instructionId, 'note', { note });

    await this.events.publish(em, published, cause);
    for (const instructionId of created) await this.statusUpdates.releaseParked(em, instructionId);
  }

  private newInstruction(terms: InstructionTerms, partyHold: boolean, at: string): StoredInstruction {
    const instructionId = randomUUID();
    const ready = hasBothSsis(terms);
    return {
      instructionId,
      reference: instructionReference(instructionId),
      terms,
      status: {
        processingStatus: ready ? 'INSTRUCTED' : 'PENDING',
        pendingReason: ready ? null : 'SSI_MISSING',
        matchingStatus: 'UNMATCHED',
        failing: false,
        partyHold,
        quantity: terms.quantity,
        settlementAmount: terms.settlementAmount,
        settledQuantity: '0',
        settledAmount: '0',
        failingParty: null,
        failReasonCode: null,
      },
      createdAt: at,
      updatedAt: at,
    };
  }
}
