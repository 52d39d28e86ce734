import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { InstructionHistoryEntry } from '@postrade/contracts';
import { Decimal, DomainError, marketToday } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { ParkingLot, ParkOrder, RawMessage } from '@postrade/messaging';
import { applyStatusUpdate, custodianStateOf, type AppliedUpdate, type EffectiveDateBounds, type InstructionStatus, type StatusUpdate } from '../../domain/instruction-status';
import { hasBothSsis } from '../../domain/settlement-instruction';
import type { InstructionRepository, StoredInstruction } from '../../persistence/instruction.repository';
import { statusUpdateKey, type StatusUpdateRepository } from '../../persistence/status-update.repository';
import { toInstructionView, type InstructionEvent, type InstructionEvents, type InstructionView } from '../instruction-resource';

/** How long a Kafka status update waits for an instruction we do not know (SETTLEMENT_PARKED_EXPIRY, default 7 days). */
export const DEFAULT_PARKED_UPDATE_TTL_MS = 7 * 24 * 3600 * 1000;

/** The kind of a custodian status update waiting in the parking lot for its instruction. */
export const PARKED_STATUS_UPDATE = 'STATUS_UPDATE';

/** What a parked status update keeps to be applied when its instruction appears. */
export interface ParkedStatusUpdatePayload {
  instructionId: string;
  update: StatusUpdate;
  /** Who sent it (see `ReportedStatusUpdate.sentBy`); absent in updates parked before it was kept. */
  sentBy?: string;
}

/**
 * Who sends a REST or ISO 20022 update: the principal id of its API key, recorded with the update,
 * and the agent a bound custodian key speaks for (`custodian:<BIC>`): such a key reaches only
 * instructions whose own-side SSI names that agent; any other is not found (404), so that it
 * cannot probe for them.
 */
export interface UpdateSender {
  id: string;
  agentBic?: string;
}

/** An instruction a sender may see: every one for an unbound sender, else those whose own-side SSI names its agent. */
export function reachableBy(sender: UpdateSender | undefined, instruction: Pick<StoredInstruction, 'terms'>): boolean {
  return sender?.agentBic === undefined || instruction.terms.ssis.ours?.agentBic === sender.agentBic;
}

export type StatusUpdateOutcome = { kind: 'applied' | 'replayed'; instruction: InstructionView } | { kind: 'parked' };

/** A custodian's update as it came from Kafka: the instruction it names (its id, lower case) and the event that carried it. */
export interface ReportedStatusUpdate {
  instructionId: string;
  update: StatusUpdate;
  cause: { correlationId?: string; causationId?: string };
  /** The message as consumed: kept while the update waits, dead-lettered if it expires. */
  message?: RawMessage;
  /** Who sent it, recorded with the update: `kafka:<event source>`. */
  sentBy?: string;
}

/** Same update, by value: "100" equals "100.00", an omitted field equals an omitted field. */
export function updateFingerprint(update: StatusUpdate): string {
  const value = (v: string | undefined) => (v === undefined ? null : /^-?\d+(\.\d+)?$/.test(v) ? new Decimal(v).toFixed() : v);
  const canonical = [update.status, update.settledQuantity, update.settledAmount, update.effectiveDate, update.failingParty, update.reasonCode, update.isin, update.currency].map(value);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * Custodian status updates (REST JSON, ISO 20022 XML, Kafka), in the caller's transaction: lock
 * the instruction, recognise a replayed update id, apply the domain rule, record the update and
 * the history, publish the event. From Kafka, an update for an instruction not known yet is parked;
 * over REST it is a 404.
 *
 * Two ways through, with the same effects: `apply`, one update at a time (REST, and parked updates
 * released when their instruction appears), and `applyBatch`, a run of Kafka updates at once (a
 * statement per kind of write, not per update). Both lock instruction rows only, in id order and
 * never a trade or group lock after them, as the gate locks instruction rows last: neither can
 * deadlock with the gate or with the other.
 */
export class ApplyStatusUpdateHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly instructions: InstructionRepository,
    private readonly updates: StatusUpdateRepository,
    private readonly events: InstructionEvents,
    private readonly parking: ParkingLot,
    private readonly parkedTtlMs: number = DEFAULT_PARKED_UPDATE_TTL_MS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** REST: one transaction per update. */
  applyNow(instructionId: string, update: StatusUpdate, correlationId?: string, sender?: UpdateSender): Promise<InstructionView> {
    return this.transactions.run(async (em) => {
      const outcome = await this.apply(em, instructionId, update, { origin: 'rest', correlationId, sender });
      if (outcome.kind === 'parked') throw new Error('a REST update is never parked');
      return outcome.instruction;
    });
  }

  /** Several updates on one instruction (one ISO 20022 message), applied together or not at all. */
  applyAllNow(instructionId: string, updates: readonly StatusUpdate[], correlationId?: string, sender?: UpdateSender): Promise<InstructionView> {
    return this.transactions.run(async (em) => {
      let last: StatusUpdateOutcome | null = null;
      for (const update of updates) last = await this.apply(em, instructionId, update, { origin: 'rest', correlationId, sender });
      if (last === null || last.kind === 'parked') throw new Error('a REST update is never parked');
      return last.instruction;
    });
  }

  async apply(
    em: EntityManager,
    instructionId: string,
    update: StatusUpdate,
    source: { origin: 'rest' | 'kafka'; eventId?: string; correlationId?: string; message?: RawMessage; sender?: UpdateSender },
  ): Promise<StatusUpdateOutcome> {
    const instruction = await this.instructions.get(em, instructionId, true);
    if (instruction === null || !reachableBy(source.sender, instruction)) {
      if (source.origin === 'rest') throw DomainError.notFound('Instruction', instructionId);
      await this.parking.park(em, [this.parkingOrder({ instructionId, update, eventId: source.eventId ?? null, message: source.message, sentBy: source.sender?.id })]);
      return { kind: 'parked' };
    }
    const sentBy = source.sender?.id;
    const fingerprint = updateFingerprint(update);
    const recorded = await this.updates.claim(em, instructionId, update, fingerprint, sentBy ?? null);
    if (recorded !== null) {
      if (recorded.contentHash !== fingerprint) {
        throw DomainError.conflict(`status update ${update.updateId} was already applied to instruction ${instructionId} with other content`, 'update-id-reused');
      }
      return { kind: 'replayed', instruction: await this.view(em, instruction) };
    }
    // A rule broken here rolls the claim back with everything else: the id stays free for a corrected update.
    const applied = applyStatusUpdate(instruction.status, update, instruction.terms, this.datesOf(instruction));
    await this.instructions.saveStatus(em, instructionId, applied.status);
    await this.instructions.addHistory(em, instructionId, `custodian reported ${update.status}`, historyDetails(update, sentBy, applied));
    if (applied.exception !== undefined) await this.instructions.addHistory(em, instructionId, `exception raised: ${applied.exception.code}`, { ...applied.exception });
    const view = await this.view(em, { ...instruction, status: applied.status, updatedAt: this.now().toISOString() });
    if (applied.event !== null) {
      await this.events.publish(em, [{ instructionId, event: applied.event, change: applied.change, view }], {
        correlationId: source.correlationId,
        causationId: source.eventId,
      });
    }
    if (applied.cancellationConfirmed) await this.releaseReplacements(em, [instructionId], { correlationId: source.correlationId, causationId: source.eventId });
    return { kind: 'applied', instruction: view };
  }

  /**
   * Applies a run of Kafka updates as `apply` applies each in turn, in a few statements whatever
   * their number: the instructions they name locked and read with their history in one statement
   * (id order), their update ids recorded in one (a replay has no second effect; an id reused with
   * other content is a conflict), the updates applied in order in memory, then statuses, history,
   * parked updates and events written a statement per kind. Every applied update that raises an
   * event publishes it, in order, each with the instruction as that update left it. An update that
   * breaks a rule throws, leaving the caller's savepoint to roll the run back: the consumer then
   * applies the run one event at a time and dead-letters only the update at fault.
   */
  async applyBatch(em: EntityManager, reports: readonly ReportedStatusUpdate[]): Promise<void> {
    if (reports.length === 0) return;
    const locked = await this.instructions.lockWithHistory(em, [...new Set(reports.map((r) => r.instructionId))].sort());
    const current = new Map(locked.map(({ instruction }) => [instruction.instructionId, instruction]));
    const histories = new Map(locked.map(({ instruction, history }) => [instruction.instructionId, history]));
    const fingerprinted = reports.map((report) => ({ ...report, fingerprint: updateFingerprint(report.update) }));
    const recorded = await this.updates.claimMany(
      em,
      fingerprinted
        .filter((r) => current.has(r.instructionId))
        .map((r) => ({ instructionId: r.instructionId, update: r.update, contentHash: r.fingerprint, sentBy: r.sentBy ?? null })),
    );

    const now = this.now();
    const at = now.toISOString();
    const changed = new Set<string>();
    const history: { instructionId: string; event: string; details: Record<string, unknown> }[] = [];
    const raised: { event: InstructionEvent; historyIndex: number }[] = [];
    const parked: ParkOrder<ParkedStatusUpdatePayload>[] = [];
    const cancelled: { instructionId: string; cause: ReportedStatusUpdate['cause'] }[] = [];
    for (const { instructionId, update, cause, message, fingerprint, sentBy } of fingerprinted) {
      const instruction = current.get(instructionId);
      if (instruction === undefined) {
        parked.push(this.parkingOrder({ instructionId, update, eventId: cause.causationId ?? null, message, sentBy }));
        continue;
      }
      const key = statusUpdateKey(instructionId, update.updateId);
      const before = recorded.get(key);
      if (before !== undefined) {
        if (before !== fingerprint) {
          throw DomainError.conflict(`status update ${update.updateId} was already applied to instruction ${instructionId} with other content`, 'update-id-reused');
        }
        continue;
      }
      const applied = applyStatusUpdate(instruction.status, update, instruction.terms, this.datesOf(instruction));
      recorded.set(key, fingerprint);
      const after: StoredInstruction = { ...instruction, status: applied.status, updatedAt: at };
      current.set(instructionId, after);
      changed.add(instructionId);
      history.push({ instructionId, event: `custodian reported ${update.status}`, details: historyDetails(update, sentBy, applied) });
      if (applied.exception !== undefined) history.push({ instructionId, event: `exception raised: ${applied.exception.code}`, details: { ...applied.exception } });
      if (applied.cancellationConfirmed) cancelled.push({ instructionId, cause });
      if (applied.event !== null) raised.push({ event: { instructionId, event: applied.event, change: applied.change, instruction: after, cause }, historyIndex: history.length - 1 });
    }

    await this.instructions.saveStatuses(em, [...changed].map((instructionId) => ({ instructionId, status: current.get(instructionId)!.status })));
    const stored = await this.instructions.appendHistory(em, history);
    await this.parking.park(em, parked);
    await this.publishInOrder(em, withViews(raised, history, stored, histories));
    for (const { instructionId, cause } of cancelled) await this.releaseReplacements(em, [instructionId], cause);
  }

  /**
   * The custodian confirmed these instructions' cancellation: the replacements that waited for it
   * go out now (INSTRUCTED, published with their sese.023), once they wait for nothing else and
   * both SSIs are on file. A replacement cancelled meanwhile just stops waiting.
   */
  async releaseReplacements(em: EntityManager, cancelledIds: readonly string[], cause: { correlationId?: string; causationId?: string }): Promise<void> {
    const waiting = await this.instructions.awaitingCancellationOf(em, cancelledIds);
    if (waiting.length === 0) return;
    const done = new Set(cancelledIds);
    const at = this.now().toISOString();
    const events: InstructionEvent[] = [];
    const history: { instructionId: string; event: string; details: Record<string, unknown> }[] = [];
    const statuses: { instructionId: string; status: InstructionStatus }[] = [];
    for (const replacement of waiting) {
      const custodian = custodianStateOf(replacement.status);
      const awaiting = custodian.awaitingCancellationOf.filter((id) => !done.has(id));
      const goes = awaiting.length === 0 && replacement.status.processingStatus === 'PENDING' && hasBothSsis(replacement.terms);
      const status: InstructionStatus = goes
        ? {
            ...replacement.status,
            processingStatus: 'INSTRUCTED',
            pendingReason: null,
            custodian: { ...custodian, awaitingCancellationOf: [], sent: true, hold: replacement.status.partyHold ? 'REQUESTED' : null },
          }
        : {
            ...replacement.status,
            pendingReason: replacement.status.pendingReason === 'CANCELLATION_PENDING' && awaiting.length === 0 ? null : replacement.status.pendingReason,
            custodian: { ...custodian, awaitingCancellationOf: awaiting },
          };
      statuses.push({ instructionId: replacement.instructionId, status });
      history.push({
        instructionId: replacement.instructionId,
        event: goes ? 'cancellation confirmed: instructed' : 'cancellation confirmed',
        details: { cancelled: [...done].filter((id) => custodian.awaitingCancellationOf.includes(id)), awaitingCancellationOf: awaiting },
      });
      if (goes) events.push({ instructionId: replacement.instructionId, event: 'instructed', change: {}, instruction: { ...replacement, status, updatedAt: at }, cause });
    }
    await this.instructions.saveStatuses(em, statuses);
    await this.instructions.addHistoryMany(em, history);
    await this.events.publish(em, events);
    await this.releaseParked(em, events.map((e) => e.instructionId));
  }

  /**
   * Publishes events in order, each with its own view. `InstructionEvents.publish` takes one view
   * per instruction per call, so the events are cut into consecutive runs in which no instruction
   * comes twice: one call (one outbox statement) in the common case.
   */
  private async publishInOrder(em: EntityManager, events: readonly InstructionEvent[]): Promise<void> {
    let run: InstructionEvent[] = [];
    for (const event of events) {
      if (run.some((e) => e.instructionId === event.instructionId)) {
        await this.events.publish(em, run);
        run = [];
      }
      run.push(event);
    }
    await this.events.publish(em, run);
  }

  /**
   * Applies what was parked for instructions that have just appeared (one query for all of them).
   * An update that breaks a rule is not thrown back at the event that created the instruction: it
   * is recorded in the history.
   */
  async releaseParked(em: EntityManager, instructionIds: string | readonly string[]): Promise<void> {
    const ids = (typeof instructionIds === 'string' ? [instructionIds] : instructionIds).map((id) => id.toLowerCase());
    for (const parked of await this.parking.takeFor<ParkedStatusUpdatePayload>(em, ids, [PARKED_STATUS_UPDATE])) {
      const { instructionId, update, sentBy } = parked.payload;
      await em.query('savepoint parked_update');
      try {
        await this.apply(em, instructionId, update, {
          origin: 'kafka',
          eventId: parked.eventId ?? undefined,
          message: parked.message ?? undefined,
          sender: sentBy === undefined ? undefined : { id: sentBy },
        });
        await em.query('release savepoint parked_update');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await em.query('rollback to savepoint parked_update');
        await this.instructions.addHistory(em, instructionId, 'parked custodian update rejected', { ...update, reason: error.message });
      }
    }
  }

  /** An update (the first time, or again) in the parking lot, waiting for its instruction until SETTLEMENT_PARKED_EXPIRY. */
  private parkingOrder(p: { instructionId: string; update: StatusUpdate; eventId: string | null; message?: RawMessage; sentBy?: string }): ParkOrder<ParkedStatusUpdatePayload> {
    const instructionId = p.instructionId.toLowerCase();
    return {
      kind: PARKED_STATUS_UPDATE,
      inputKey: statusUpdateKey(instructionId, p.update.updateId),
      waitingFor: [instructionId],
      reason: `waiting for instruction ${instructionId}`,
      payload: { instructionId, update: p.update, ...(p.sentBy === undefined ? {} : { sentBy: p.sentBy }) },
      message: p.message ?? null,
      eventId: p.eventId,
      expiresInMs: this.parkedTtlMs,
    };
  }

  /** What an effective date is judged by: the business today of the instruction's market, its trade date. */
  private datesOf(instruction: StoredInstruction): EffectiveDateBounds {
    return { today: marketToday(instruction.terms.settlementMarket, this.now()), tradeDate: instruction.tradeDate ?? null };
  }

  private async view(em: EntityManager, instruction: StoredInstruction): Promise<InstructionView> {
    const history = await this.instructions.history(em, [instruction.instructionId]);
    return toInstructionView(instruction, history.get(instruction.instructionId) ?? []);
  }
}

/**
 * An update as its history entry records it: what the custodian reported, who sent it (when known),
 * and, for a SETTLED at the depository's amount within tolerance, our amount and the difference.
 */
function historyDetails(update: StatusUpdate, sentBy: string | undefined, applied: AppliedUpdate): Record<string, unknown> {
  return {
    ...update,
    ...(sentBy === undefined ? {} : { sentBy }),
    ...(applied.amountDifference === undefined ? {} : { ourAmount: applied.amountDifference.ourAmount, amountDifference: applied.amountDifference.difference }),
  };
}

/**
 * Each raised event with its view: the instruction as its update left it, and its history up to
 * that update's entry (the history before the batch, then the batch's entries as stored).
 */
function withViews(
  raised: readonly { event: InstructionEvent; historyIndex: number }[],
  batch: readonly { instructionId: string }[],
  stored: readonly InstructionHistoryEntry[],
  before: ReadonlyMap<string, InstructionHistoryEntry[]>,
): InstructionEvent[] {
  const wanted = new Set(raised.map((r) => r.historyIndex));
  const running = new Map<string, InstructionHistoryEntry[]>();
  const upTo = new Map<number, InstructionHistoryEntry[]>();
  batch.forEach(({ instructionId }, index) => {
    const entries = running.get(instructionId) ?? [...(before.get(instructionId) ?? [])];
    entries.push(stored[index]);
    running.set(instructionId, entries);
    if (wanted.has(index)) upTo.set(index, [...entries]);
  });
  return raised.map(({ event, historyIndex }) => ({ ...event, view: toInstructionView(event.instruction!, upTo.get(historyIndex)!) }));
}
