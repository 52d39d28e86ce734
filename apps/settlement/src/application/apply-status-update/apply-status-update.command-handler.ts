import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Decimal, DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { applyStatusUpdate, type StatusUpdate } from '../../domain/instruction-status';
import type { InstructionRepository, StoredInstruction } from '../../persistence/instruction.repository';
import type { StatusUpdateRepository } from '../../persistence/status-update.repository';
import { toInstructionView, type InstructionEvents, type InstructionView } from '../instruction-resource';

/** How long a Kafka status update waits for an instruction we do not know (default 7 days). */
export const DEFAULT_PARKED_UPDATE_TTL_MS = 7 * 24 * 3600 * 1000;

export type StatusUpdateOutcome = { kind: 'applied' | 'replayed'; instruction: InstructionView } | { kind: 'parked' };

/** Same update, by value: "100" equals "100.00", an omitted field equals an omitted field. */
export function updateFingerprint(update: StatusUpdate): string {
  const value = (v: string | undefined) => (v === undefined ? null : /^-?\d+(\.\d+)?$/.test(v) ? new Decimal(v).toFixed() : v);
  const canonical = [update.status, update.settledQuantity, update.settledAmount, update.effectiveDate, update.failingParty, update.reasonCode, update.isin, update.currency].map(value);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The one path every custodian status update takes (REST JSON, ISO 20022 XML, Kafka): locks the
 * instruction, recognises a replayed update id, applies the domain rule, records the update and
 * the history, and publishes the event, all in the caller's transaction. From Kafka, an update for
 * an instruction not known yet is parked; over REST it is a 404.
 */
export class ApplyStatusUpdateHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly instructions: InstructionRepository,
    private readonly updates: StatusUpdateRepository,
    private readonly events: InstructionEvents,
    private readonly parkedTtlMs: number = DEFAULT_PARKED_UPDATE_TTL_MS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** REST: one transaction per update. */
  applyNow(instructionId: string, update: StatusUpdate, correlationId?: string): Promise<InstructionView> {
    return this.transactions.run(async (em) => {
      const outcome = await this.apply(em, instructionId, update, { origin: 'rest', correlationId });
      if (outcome.kind === 'parked') throw new Error('a REST update is never parked');
      return outcome.instruction;
    });
  }

  /** Several updates on one instruction (one ISO 20022 message), applied together or not at all. */
  applyAllNow(instructionId: string, updates: readonly StatusUpdate[], correlationId?: string): Promise<InstructionView> {
    return this.transactions.run(async (em) => {
      let last: StatusUpdateOutcome | null = null;
      for (const update of updates) last = await this.apply(em, instructionId, update, { origin: 'rest', correlationId });
      if (last === null || last.kind === 'parked') throw new Error('a REST update is never parked');
      return last.instruction;
    });
  }

  async apply(
    em: EntityManager,
    instructionId: string,
    update: StatusUpdate,
    source: { origin: 'rest' | 'kafka'; eventId?: string; correlationId?: string },
  ): Promise<StatusUpdateOutcome> {
    const instruction = await this.instructions.get(em, instructionId, true);
    if (instruction === null) {
      if (source.origin === 'rest') throw DomainError.notFound('Instruction', instructionId);
      await this.updates.park(em, instructionId, update, source.eventId ?? null, new Date(this.now().getTime() + this.parkedTtlMs));
      return { kind: 'parked' };
    }
    const fingerprint = updateFingerprint(update);
    const recorded = await this.updates.claim(em, instructionId, update, fingerprint);
    if (recorded !== null) {
      if (recorded.contentHash !== fingerprint) {
        throw DomainError.conflict(`status update ${update.updateId} was already applied to instruction ${instructionId} with other content`, 'update-id-reused');
      }
      return { kind: 'replayed', instruction: await this.view(em, instruction) };
    }
    // A rule broken here rolls the claim back with everything else: the id stays free for a corrected update.
    const applied = applyStatusUpdate(instruction.status, update, instruction.terms);
    await this.instructions.saveStatus(em, instructionId, applied.status);
    await this.instructions.addHistory(em, instructionId, `custodian reported ${update.status}`, { ...update });
    const view = await this.view(em, { ...instruction, status: applied.status, updatedAt: this.now().toISOString() });
    if (applied.event !== null) {
      await this.events.publish(em, [{ instructionId, event: applied.event, change: applied.change, view }], {
        correlationId: source.correlationId,
        causationId: source.eventId,
      });
    }
    return { kind: 'applied', instruction: view };
  }

  /**
   * Applies what was parked for instructions that have just appeared (one query for all of them).
   * An update that breaks a rule is not thrown back at the event that created the instruction: it
   * is recorded in the history.
   */
  async releaseParked(em: EntityManager, instructionIds: string | readonly string[]): Promise<void> {
    for (const parked of await this.updates.unpark(em, typeof instructionIds === 'string' ? [instructionIds] : instructionIds)) {
      const { instructionId } = parked;
      await em.query('savepoint parked_update');
      try {
        await this.apply(em, instructionId, parked.update, { origin: 'kafka', eventId: parked.eventId ?? undefined });
        await em.query('release savepoint parked_update');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await em.query('rollback to savepoint parked_update');
        await this.instructions.addHistory(em, instructionId, 'parked custodian update rejected', { ...parked.update, reason: error.message });
      }
    }
  }

  private async view(em: EntityManager, instruction: StoredInstruction): Promise<InstructionView> {
    const history = await this.instructions.history(em, [instruction.instructionId]);
    return toInstructionView(instruction, history.get(instruction.instructionId) ?? []);
  }
}
