import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { instructionReference, type ComplianceOutcome, type MatchStatus } from '@postrade/contracts';
import { custodianStateOf, reachedCustodian, type InstructionStatus } from '../../domain/instruction-status';
import type { GatePolicy } from '../../domain/settlement-gate';
import { planSettlementGroup, type GroupPlan } from '../../domain/settlement-group';
import {
  hasBothSsis,
  isSoleGroupKey,
  settlementGroupKey,
  soleGroupKey,
  type InstructionTerms,
} from '../../domain/settlement-instruction';
import type { SettlementTradeTerms, Ssi } from '../../domain/settlement-trade';
import type { InstructionRepository, StoredInstruction } from '../../persistence/instruction.repository';
import type { ReferenceRepository } from '../../persistence/reference.repository';
import type { StoredTradeGate, TradeGateRepository, TradeGateWrite } from '../../persistence/trade-gate.repository';
import type { ApplyStatusUpdateHandler } from '../apply-status-update/apply-status-update.command-handler';
import { custodianRequestId, type CustodianRequest, type InstructionEvent, type InstructionEvents } from '../instruction-resource';

export interface EventCause {
  correlationId?: string;
  causationId?: string;
}

/** One event of the trade, matching or compliance stream, as the gate applies it. */
export type GateInput =
  /** captured, amended, enriched or cancelled: the trade's settlement terms as of its version. */
  | { kind: 'trade'; terms: SettlementTradeTerms; cause: EventCause }
  | { kind: 'match'; tradeId: string; status: MatchStatus; cause: EventCause }
  | { kind: 'compliance'; tradeId: string; outcome: ComplianceOutcome; tradeVersion: number; cause: EventCause };

const tradeIdOf = (input: GateInput): string => (input.kind === 'trade' ? input.terms.tradeId : input.tradeId);

/** Trade ids are UUIDs: one spelling (lower case, as Postgres prints them) for the locks and maps. */
function normalised(input: GateInput): GateInput {
  return input.kind === 'trade' ? { ...input, terms: { ...input.terms, tradeId: input.terms.tradeId.toLowerCase() } } : { ...input, tradeId: input.tradeId.toLowerCase() };
}

const noGate = (tradeId: string): TradeGateWrite => ({ tradeId, groupKey: null, terms: null, matchStatus: null, compliance: null });

/** What the batch changes, gathered in memory while its groups are planned, then written in a few statements. */
interface BatchChanges {
  at: string;
  instructions: Map<string, StoredInstruction>;
  created: Set<string>;
  termsChanged: Set<string>;
  statusChanged: Set<string>;
  history: { instructionId: string; event: string; details: Record<string, unknown> }[];
  pointers: Map<string, string | null>;
  published: InstructionEvent[];
  /** Instructions that went to the custodian in this batch: what was parked for them is applied. */
  instructed: string[];
  /** Hold, release and cancellation requests to the custodian (sent with the instruction as the batch leaves it). */
  requests: (Omit<CustodianRequest, 'instruction'> & { instructionId: string })[];
}

/**
 * Applies what the trade, matching and compliance streams say about trades, then brings each
 * settlement group touched (a trade alone, or the trades netted with it) in line with the gate:
 * instruct, re-issue, hold, release or cancel. Runs in the consumer's transaction, a whole run of
 * a partition's events at once.
 *
 * Locking, in one order for the whole batch, before any event is applied: every trade of the
 * batch (one statement, in lock key order; a trade's group can only change under its lock), then
 * the netting groups the changes touch, old and new (one statement, in key order), then the
 * instruction rows of those groups (in id order). A trade's own group (`soleGroupKey`) needs no
 * lock: only that trade's events, under its lock, ever work on it. No transaction waits for a
 * trade lock while it holds a group lock, nor for either while it holds an instruction row, so
 * two batches over the same trades, in whatever order, cannot deadlock.
 *
 * Each touched group is planned once, after all the batch's events are applied (a group's plan is
 * a function of its members' state): what is published is the change from the state before the
 * batch to the state after it, e.g. one instruction rather than instruct, cancel and re-instruct.
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
    await this.apply(em, [{ kind: 'trade', terms, cause }]);
  }

  async onMatch(em: EntityManager, tradeId: string, status: MatchStatus, cause: EventCause): Promise<void> {
    await this.apply(em, [{ kind: 'match', tradeId, status, cause }]);
  }

  async onComplianceDecision(em: EntityManager, tradeId: string, outcome: ComplianceOutcome, tradeVersion: number, cause: EventCause): Promise<void> {
    await this.apply(em, [{ kind: 'compliance', tradeId, outcome, tradeVersion, cause }]);
  }

  /**
   * An SSI was stored (trade-capture's reference data, `postrade.ssi.upserted.v1`). An instruction
   * the custodian REJECTED is re-sent once its cause is repaired: each trade of a rejected
   * instruction whose SSI for this party, market and currency differs from the one now on file
   * takes the corrected SSI (its own version unchanged) and its group is planned again, which
   * instructs it afresh. Trades whose instruction was not rejected are not touched.
   */
  async onSsiCorrected(em: EntityManager, ssi: Ssi & { lei: string; settlementMarket: string; currency: string }, cause: EventCause): Promise<void> {
    const rejected = (await this.instructions.rejectedFor(em, [ssi.lei])).filter(
      (i) => i.terms.settlementMarket === ssi.settlementMarket && i.terms.currency === ssi.currency,
    );
    if (rejected.length === 0) return;
    const rejectedIds = new Set(rejected.map((i) => i.instructionId));
    const stored = await this.trades.getMany(em, [...new Set(rejected.flatMap((i) => i.terms.tradeIds))]);
    const corrected = { agentBic: ssi.agentBic, safekeepingAccount: ssi.safekeepingAccount, cashAccount: ssi.cashAccount, placeOfSettlement: ssi.placeOfSettlement };
    const same = (a: Ssi | null) => a !== null && a.agentBic === corrected.agentBic && a.safekeepingAccount === corrected.safekeepingAccount && a.cashAccount === corrected.cashAccount && a.placeOfSettlement === corrected.placeOfSettlement;
    const inputs: GateInput[] = [];
    for (const gate of stored.values()) {
      const terms = gate.terms;
      if (terms === null || gate.instructionId === null || !rejectedIds.has(gate.instructionId)) continue;
      const ours = terms.legalEntityLei === ssi.lei && !same(terms.ssis.ours);
      const theirs = terms.counterpartyLei === ssi.lei && !same(terms.ssis.theirs);
      if (!ours && !theirs) continue;
      inputs.push({ kind: 'trade', terms: { ...terms, ssis: { ours: ours ? corrected : terms.ssis.ours, theirs: theirs ? corrected : terms.ssis.theirs } }, cause });
    }
    await this.apply(em, inputs);
  }

  /** Applies events in their order (one trade's events stay in order), then re-plans each group they touched, once. */
  async apply(em: EntityManager, events: readonly GateInput[]): Promise<void> {
    if (events.length === 0) return;
    const inputs = events.map(normalised);
    // Reference data (no lock, as for one event): which of the batch's counterparties net.
    const netting = await this.reference.nettingEnabledFor(em, inputs.flatMap((i) => (i.kind === 'trade' ? [i.terms.counterpartyLei] : [])));

    const tradeIds = [...new Set(inputs.map(tradeIdOf))];
    await this.trades.lockTrades(em, tradeIds);
    const stored: Map<string, TradeGateWrite> = await this.trades.getMany(em, tradeIds);

    // The events in order, in memory: the trades whose gate state changes, the groups each change
    // touches (the trade's group before and after), and the event that touched each group last.
    const gates = new Map<string, TradeGateWrite>();
    const touched = new Map<string, EventCause>();
    for (const input of inputs) {
      const tradeId = tradeIdOf(input);
      const current = gates.get(tradeId) ?? stored.get(tradeId) ?? noGate(tradeId);
      const next = this.applied(current, input, netting);
      if (next === null) continue;
      gates.set(tradeId, next);
      for (const key of [current.groupKey ?? soleGroupKey(tradeId), next.groupKey ?? soleGroupKey(tradeId)]) touched.set(key, input.cause);
    }
    if (gates.size === 0) return;

    const keys = [...touched.keys()].sort();
    await this.trades.lockGroups(em, keys.filter((key) => !isSoleGroupKey(key)));
    await this.trades.saveGates(em, [...gates.values()]);

    // Each touched group once, from its members as they stand after the batch (read under the group locks).
    const members = await this.trades.inGroups(em, keys);
    const instructionIds = [...new Set([...members.values()].flat().flatMap((m) => (m.instructionId ? [m.instructionId] : [])))].sort();
    const current = await this.instructions.getMany(em, instructionIds, true);
    const changes: BatchChanges = {
      at: this.now().toISOString(),
      instructions: new Map(current.map((c) => [c.instructionId, c])),
      created: new Set(),
      termsChanged: new Set(),
      statusChanged: new Set(),
      history: [],
      pointers: new Map(),
      published: [],
      instructed: [],
      requests: [],
    };
    for (const key of keys) {
      const group = members.get(key) ?? [];
      if (group.length === 0) continue;
      const ids = [...new Set(group.flatMap((m) => (m.instructionId ? [m.instructionId] : [])))].sort();
      // As the batch left them: an instruction cancelled by a group planned before this one is seen cancelled.
      const instructions = ids.flatMap((id) => changes.instructions.get(id) ?? []);
      this.plan(changes, planSettlementGroup(group, instructions, this.policy), group, touched.get(key)!);
    }
    await this.write(em, changes);
  }

  /** The trade's gate state after one event, or null when the event changes nothing. */
  private applied(current: TradeGateWrite, input: GateInput, netting: ReadonlySet<string>): TradeGateWrite | null {
    switch (input.kind) {
      case 'trade':
        // An older version arriving after a newer one changes nothing; `enriched` repeats the version with SSIs.
        if (current.terms && current.terms.version > input.terms.version) return null;
        return { ...current, terms: input.terms, groupKey: settlementGroupKey(input.terms, netting.has(input.terms.counterpartyLei)) };
      case 'match':
        return { ...current, matchStatus: input.status };
      case 'compliance':
        if (current.compliance && current.compliance.tradeVersion > input.tradeVersion) return null;
        return { ...current, compliance: { outcome: input.outcome, tradeVersion: input.tradeVersion } };
    }
  }

  /** Carries out one group's plan in memory: instructions, history, the trades' pointers and the events to publish. */
  private plan(changes: BatchChanges, plan: GroupPlan, members: readonly StoredTradeGate[], cause: EventCause): void {
    const { at, instructions } = changes;
    // The replacement waits for the cancellation of every instruction the custodian has (sent and
    // answered on); one sent but never answered is cancelled all the same, and does not hold it up.
    const awaiting: string[] = [];
    for (const { instructionId, reason } of plan.cancel) {
      const instruction = instructions.get(instructionId)!;
      const custodian = custodianStateOf(instruction.status);
      const atCustodian = instruction.status.processingStatus === 'INSTRUCTED' && custodian.sent;
      if (atCustodian && reachedCustodian(instruction.status)) awaiting.push(instructionId);
      // A replacement that never went out passes on what it was waiting for.
      if (!custodian.sent) awaiting.push(...custodian.awaitingCancellationOf);
      const status: InstructionStatus = {
        ...instruction.status,
        processingStatus: 'CANCELLED',
        pendingReason: null,
        custodian: { ...custodian, cancellation: atCustodian ? 'REQUESTED' : custodian.cancellation },
      };
      const after = { ...instruction, status, updatedAt: at };
      instructions.set(instructionId, after);
      changes.statusChanged.add(instructionId);
      const requestId = atCustodian ? custodianRequestId('CANCEL') : undefined;
      changes.history.push({ instructionId, event: 'cancelled', details: { reason, ...(requestId ? { cancellationRequest: requestId } : {}) } });
      for (const m of members) if (m.instructionId === instructionId) changes.pointers.set(m.tradeId, null);
      changes.published.push({ instructionId, event: 'cancelled', change: { reason }, instruction: after, cause });
      if (requestId) changes.requests.push({ requestId, instructionId, action: 'CANCEL', reason, cause });
    }
    if (plan.create !== null) {
      const instruction = this.newInstruction(plan.create.terms, plan.create.partyHold, at, [...new Set(awaiting)].sort());
      const { instructionId } = instruction;
      instructions.set(instructionId, instruction);
      changes.created.add(instructionId);
      for (const tradeId of instruction.terms.tradeIds) changes.pointers.set(tradeId, instructionId);
      changes.history.push({
        instructionId,
        event: 'created',
        details: {
          tradeIds: instruction.terms.tradeIds,
          processingStatus: instruction.status.processingStatus,
          pendingReason: instruction.status.pendingReason,
          partyHold: instruction.status.partyHold,
          holdReasons: plan.holdReasons,
          replaces: plan.cancel.map((c) => c.instructionId),
          ...(instruction.status.pendingReason === 'CANCELLATION_PENDING' ? { awaitingCancellationOf: custodianStateOf(instruction.status).awaitingCancellationOf } : {}),
        },
      });
      if (instruction.status.processingStatus === 'INSTRUCTED') {
        changes.published.push({ instructionId, event: 'instructed', change: {}, instruction, cause });
        changes.instructed.push(instructionId);
      }
    }
    if (plan.update !== null) {
      const before = instructions.get(plan.update.instructionId)!;
      const terms: InstructionTerms = plan.update.terms;
      const custodian = custodianStateOf(before.status);
      const waits = custodian.awaitingCancellationOf.length > 0;
      const ready = hasBothSsis(terms) && !waits;
      const partyHold = plan.hold?.partyHold ?? before.status.partyHold;
      const status: InstructionStatus = {
        ...before.status,
        quantity: terms.quantity,
        settlementAmount: terms.settlementAmount,
        processingStatus: ready ? 'INSTRUCTED' : 'PENDING',
        pendingReason: ready ? null : hasBothSsis(terms) ? 'CANCELLATION_PENDING' : 'SSI_MISSING',
        partyHold,
        // Sent now with the hold indicator when held: the custodian holds it from the start.
        custodian: ready ? { ...custodian, sent: true, hold: partyHold ? 'REQUESTED' : null } : custodian,
      };
      const after = { ...before, terms, status, updatedAt: at };
      instructions.set(before.instructionId, after);
      changes.termsChanged.add(before.instructionId);
      changes.statusChanged.add(before.instructionId);
      changes.history.push({
        instructionId: before.instructionId,
        event: ready ? 'SSIs complete: instructed' : 'terms updated while pending',
        details: { pendingReason: status.pendingReason },
      });
      if (ready) {
        changes.published.push({ instructionId: before.instructionId, event: 'instructed', change: {}, instruction: after, cause });
        changes.instructed.push(before.instructionId);
      }
    } else if (plan.hold !== null) {
      const before = instructions.get(plan.hold.instructionId)!;
      const custodian = custodianStateOf(before.status);
      // The custodian has it: the hold (or its release) must reach it too, as a sese.030 — except
      // the release of a hold the custodian refused: nothing is held there to release.
      const refusedThere = !plan.hold.partyHold && custodian.hold === 'REJECTED';
      const atCustodian = before.status.processingStatus === 'INSTRUCTED' && custodian.sent && !refusedThere;
      const action = plan.hold.partyHold ? 'HOLD' : 'RELEASE';
      const requestId = atCustodian ? custodianRequestId(action) : undefined;
      const status: InstructionStatus = {
        ...before.status,
        partyHold: plan.hold.partyHold,
        custodian: atCustodian
          ? { ...custodian, hold: plan.hold.partyHold ? 'REQUESTED' : 'RELEASE_REQUESTED' }
          : refusedThere ? { ...custodian, hold: null } : custodian,
      };
      instructions.set(before.instructionId, { ...before, status, updatedAt: at });
      changes.statusChanged.add(before.instructionId);
      changes.history.push({
        instructionId: before.instructionId,
        event: plan.hold.partyHold ? 'party hold set' : 'party hold released',
        details: {
          waitingFor: plan.holdReasons,
          ...(requestId ? { [plan.hold.partyHold ? 'holdRequest' : 'releaseRequest']: requestId } : {}),
          ...(refusedThere ? { custodianHold: 'the custodian had refused the hold: no release to send' } : {}),
        },
      });
      if (requestId) changes.requests.push({ requestId, instructionId: before.instructionId, action, cause });
    }
    for (const { instructionId, note } of plan.notes) changes.history.push({ instructionId, event: 'note', details: { note } });
  }

  /** Writes what the batch's plans did, a statement per kind of change (not per event), then publishes. */
  private async write(em: EntityManager, changes: BatchChanges): Promise<void> {
    const final = (id: string) => changes.instructions.get(id)!;
    const existing = (ids: Set<string>) => [...ids].filter((id) => !changes.created.has(id));
    await this.instructions.insertMany(em, [...changes.created].map(final));
    for (const id of existing(changes.termsChanged)) await this.instructions.updateTerms(em, id, final(id).terms);
    await this.instructions.saveStatuses(em, existing(changes.statusChanged).map((id) => ({ instructionId: id, status: final(id).status })));
    await this.instructions.addHistoryMany(em, changes.history);
    await this.trades.pointAt(em, [...changes.pointers].map(([tradeId, instructionId]) => ({ tradeId, instructionId })));
    await this.events.publish(em, changes.published);
    await this.events.request(em, changes.requests.map(({ instructionId, ...request }) => ({ ...request, instruction: final(instructionId) })));
    await this.statusUpdates.releaseParked(em, changes.instructed);
  }

  /**
   * A new instruction: INSTRUCTED (sent) when both SSIs are on file and it replaces nothing the
   * custodian still has; else PENDING, for a missing SSI or until `awaiting`'s cancellation is
   * confirmed. Sent on hold, it carries the hold indicator: the hold is asked for with it.
   */
  private newInstruction(terms: InstructionTerms, partyHold: boolean, at: string, awaiting: string[] = []): StoredInstruction {
    const instructionId = randomUUID();
    const ssis = hasBothSsis(terms);
    const ready = ssis && awaiting.length === 0;
    return {
      instructionId,
      reference: instructionReference(instructionId),
      terms,
      status: {
        processingStatus: ready ? 'INSTRUCTED' : 'PENDING',
        pendingReason: ready ? null : ssis ? 'CANCELLATION_PENDING' : 'SSI_MISSING',
        matchingStatus: 'UNMATCHED',
        failing: false,
        partyHold,
        quantity: terms.quantity,
        settlementAmount: terms.settlementAmount,
        settledQuantity: '0',
        settledAmount: '0',
        failingParty: null,
        failReasonCode: null,
        custodian: {
          sent: ready,
          acknowledged: false,
          hold: ready && partyHold ? 'REQUESTED' : null,
          cancellation: null,
          awaitingCancellationOf: awaiting,
          statusReason: null,
          exceptions: [],
        },
      },
      createdAt: at,
      updatedAt: at,
    };
  }
}
