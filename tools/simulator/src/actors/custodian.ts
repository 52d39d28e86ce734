import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import { decodeCustodianRequest, EventTypes, Topics, type CustodianRequestView } from '@postrade/contracts';
import type { KafkaConnection } from '@postrade/messaging';
import { tradeAmounts } from '../amounts';
import { awaitConsumerGroup, TopicWatcher } from '../bus';
import { Keys, readKey, tradeIdOf, type SimulationContext } from '../context';
import { inPool, pollUntil } from '../http';
import { sese024, sese025, sese031 } from '../iso20022';
import type { CustodianPlan, ScenarioTrade, StatusChannel } from '../scenario';
import { injectStatement, statementContent, toStatement, type CustodianMovement } from '../statements';
import { awaitBooked, awaitStatementsApplied, RECONCILIATION_BOOKS_GROUP, sendStatement, type Delivery } from './statement-delivery';

/** An instruction as the custodian received it on `settlement.instructions.outbound.v1`. */
export interface ReceivedInstruction {
  instructionId: string;
  tradeIds: string[];
  isin: string;
  quantity: string;
  settlementAmount: string;
  currency: string;
  type: string;
  /** Securities RECEIVE or DELIVER, from our side. */
  direction: 'RECEIVE' | 'DELIVER';
  /** Our SSI's accounts the instruction settles over (the custodian books its postings there). */
  safekeepingAccount: string;
  cashAccount: string;
  processingStatus: string;
  receivedAt: number;
}

interface Report {
  status: 'MATCHED' | 'SETTLED' | 'PARTIALLY_SETTLED' | 'FAILED' | 'REJECTED';
  /** The custodian's own reason code (a rejection's, e.g. SAFE). */
  statusReason?: string;
  settledQuantity?: string;
  settledAmount?: string;
  effectiveDate?: string;
  failingParty?: string;
  reasonCode?: string;
}

/** The custodian's answer to one of settlement's requests (hold, release, cancellation). */
export interface RequestAnswer {
  requestId: string;
  instructionId: string;
  action: CustodianRequestView['action'];
  status: 'HOLD_CONFIRMED' | 'HOLD_REJECTED' | 'RELEASE_CONFIRMED' | 'CANCELLED';
  /** The trade the instruction settles, when the custodian knows it. */
  sourceTradeId: string | null;
  applied: boolean;
}

const ANSWER_OF: Record<CustodianRequestView['action'], RequestAnswer['status']> = { HOLD: 'HOLD_CONFIRMED', RELEASE: 'RELEASE_CONFIRMED', CANCEL: 'CANCELLED' };

/** An instruction the custodian rejected for a bad SSI and received again once operations repaired it. */
export interface RepairedInstruction {
  sourceTradeId: string;
  rejected: string;
  resent: string | null;
}

/** What the custodian has reported for one instruction by the end of a day: operations check it is in before closing. */
export interface DayExpectation {
  instructionId: string;
  sourceTradeId: string;
  processingStatus: string;
  matchingStatus: string;
  settledQuantity: string;
  failingParty: string | null;
}

/**
 * The custodian: receives instructions on `settlement.instructions.outbound.v1` and, on each
 * settlement day, reports on them through `settlement.status.inbound.v1`, the REST status-update
 * endpoint or ISO 20022 XML (sese.024 / sese.025), as the scenario's plan for the trade says:
 * matched, then settled; partially settled then settled the next day; failing with an MT548 reason
 * then settled later, or still failing; or rejected; or rejected first for a bad SSI of the
 * counterparty (SAFE), which operations repair, and then, once settlement has re-sent it, as the
 * plan says. It also answers settlement's requests on the same topic: a party hold (sese.030) by a
 * sese.031, completed (HOLD_CONFIRMED) or, where the plan says so, rejected with a reason
 * (HOLD_REJECTED); its release with RELEASE_CONFIRMED; a cancellation (sese.020, an amended or
 * cancelled trade's old instruction) with CANCELLED, which lets a replacement that waited for it go out.
 */
export class Custodian {
  readonly received = new Map<string, ReceivedInstruction>();
  /** The custodian's own books: every settlement it reported, as it reported it (what its statements are made of). */
  readonly movements: CustodianMovement[] = [];
  private readonly byTrade = new Map<string, string[]>();
  private readonly watcher: TopicWatcher;
  private updateSerial = 0;

  /** Every statement sent to reconciliation, for the report. */
  readonly statements: Delivery[] = [];
  /** Every request of settlement's the custodian answered, in order, for the report. */
  readonly answers: RequestAnswer[] = [];
  /** Every instruction rejected for a bad SSI, and its re-sent successor once received. */
  readonly repaired: RepairedInstruction[] = [];
  private answering: Promise<void> = Promise.resolve();
  private readonly answered = new Set<string>();

  constructor(
    private readonly context: SimulationContext,
    private readonly connection: KafkaConnection,
  ) {
    this.watcher = new TopicWatcher(connection, `postrade-simulator-${context.scenario.runTag}-custodian`, [Topics.settlementInstructionsOutbound], (m) => {
      try {
        const data = JSON.parse(m.value);
        if (m.type === EventTypes.settlementHoldRequest || m.type === EventTypes.settlementCancellationRequest) {
          const request = decodeCustodianRequest(data);
          // Read again after a restart: answered once.
          if (this.answered.has(request.requestId)) return;
          this.answered.add(request.requestId);
          this.answering = this.answering.then(() => this.answer(request));
          return;
        }
        const instruction: ReceivedInstruction = {
          instructionId: data.instructionId,
          tradeIds: data.tradeIds ?? [],
          isin: data.isin,
          quantity: data.quantity,
          settlementAmount: data.settlementAmount,
          currency: data.currency,
          type: data.type,
          direction: data.direction,
          safekeepingAccount: data.ssis?.ours?.safekeepingAccount ?? '',
          cashAccount: data.ssis?.ours?.cashAccount ?? '',
          processingStatus: data.processingStatus,
          receivedAt: Date.now(),
        };
        // The same instruction again (published twice after a restart, or read again after the
        // broker went away) keeps the time it first came: a replaced instruction must not look newer.
        const known = this.received.get(instruction.instructionId);
        if (known) {
          this.received.set(instruction.instructionId, { ...instruction, receivedAt: known.receivedAt });
          return;
        }
        this.received.set(instruction.instructionId, instruction);
        for (const tradeId of instruction.tradeIds) this.byTrade.set(tradeId, [...(this.byTrade.get(tradeId) ?? []), instruction.instructionId]);
      } catch {
        // not an instruction: nothing for the custodian
      }
    });
  }

  start(): Promise<void> {
    return this.watcher.start();
  }

  async stop(): Promise<void> {
    await this.answering;
    await this.watcher.stop();
  }

  /**
   * Answers one request of settlement's as a custodian reporting what it did at the depository: a
   * hold by a sese.031 quoting the request (completed, or rejected with the plan's reason), a
   * release or a cancellation by REST.
   */
  private async answer(request: CustodianRequestView): Promise<void> {
    const sourceTradeId = this.sourceTradeOf(request.instructionId);
    const planned = sourceTradeId === null ? undefined : this.context.tradeOf(sourceTradeId)?.custodian?.holdAnswer;
    const refusal = request.action === 'HOLD' && planned?.status === 'HOLD_REJECTED' ? planned.reasonCode : undefined;
    const status: RequestAnswer['status'] = refusal === undefined ? ANSWER_OF[request.action] : 'HOLD_REJECTED';
    const updateId = `${this.context.scenario.runTag}-A${String(this.answers.length + 1).padStart(6, '0')}`;
    const answer: RequestAnswer = { requestId: request.requestId, instructionId: request.instructionId, action: request.action, status, sourceTradeId, applied: false };
    this.answers.push(answer);
    try {
      if (request.action === 'HOLD') {
        const xml = sese031(updateId, request.requestId, request.reference, true, new Date().toISOString(), refusal);
        await this.context.rest.expect([200], 'settlement', 'POST', '/api/v1/status-messages', { key: Keys.custodian, text: { contentType: 'application/xml', value: xml } });
      } else {
        await this.context.rest.expect([200], 'settlement', 'POST', `/api/v1/instructions/${request.instructionId}/status-updates`, { key: Keys.custodian, body: { updateId, status } });
      }
      answer.applied = true;
    } catch (err) {
      this.context.issues.push(`custodian: answering ${request.action} ${request.requestId} for ${request.instructionId} with ${status}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The source trade id of the (single) trade an instruction it received settles, or null. */
  private sourceTradeOf(instructionId: string): string | null {
    const tradeIds = this.received.get(instructionId)?.tradeIds ?? [];
    if (tradeIds.length !== 1) return null;
    for (const ids of [this.context.tradeIds, this.context.observer.tradeIdOf]) {
      for (const [source, tradeId] of ids) if (tradeId === tradeIds[0]) return source;
    }
    return null;
  }

  /** Every request received so far is answered (before the day's reports, so that they find the instructions as the answers left them). */
  awaitAnswers(): Promise<void> {
    return this.answering;
  }

  /** Times its consumer crashed and went on (the broker away). */
  get crashes(): number {
    return this.watcher.crashes;
  }

  /** The instruction that settles the trade now: the latest received for it that settlement has not cancelled. */
  instructionFor(trade: ScenarioTrade): ReceivedInstruction | undefined {
    const tradeId = tradeIdOf(this.context, trade.sourceTradeId);
    if (!tradeId) return undefined;
    const candidates = (this.byTrade.get(tradeId) ?? [])
      .map((id) => this.received.get(id)!)
      .filter((i) => this.context.observer.instructionState.get(i.instructionId)?.processingStatus !== 'CANCELLED');
    return candidates.sort((a, b) => b.receivedAt - a.receivedAt)[0];
  }

  /**
   * Waits until an instruction with the trade's final terms (quantity and net amount of its last
   * version) has arrived for each of these trades, whatever happens to it later; returns those
   * still without one.
   */
  async awaitOnBooks(trades: ScenarioTrade[], timeoutMs: number): Promise<ScenarioTrade[]> {
    const ready = (trade: ScenarioTrade) => {
      const terms = trade.versions[trade.versions.length - 1].terms;
      const instrument = this.context.scenario.instruments.find((i) => i.isin === terms.isin)!;
      const instruction = this.instructionFor(trade);
      return instruction !== undefined && new Decimal(instruction.quantity).equals(terms.quantity) && new Decimal(instruction.settlementAmount).equals(tradeAmounts(instrument, terms).netAmount);
    };
    await pollUntil(() => trades.every(ready) || this.context.observer.quietFor(this.context.stallMs), timeoutMs, 250);
    return trades.filter((t) => !ready(t));
  }

  /** Waits until an instruction with the final terms has arrived for each of these trades. */
  async awaitInstructions(trades: ScenarioTrade[], timeoutMs: number): Promise<ScenarioTrade[]> {
    const ready = (trade: ScenarioTrade) => {
      const instruction = this.instructionFor(trade);
      const expected = this.context.expectedOf(trade.sourceTradeId).settlement!;
      return instruction !== undefined && new Decimal(instruction.quantity).equals(expected.quantity) && new Decimal(instruction.settlementAmount).equals(expected.settlementAmount);
    };
    await pollUntil(() => trades.every(ready) || this.context.observer.quietFor(this.context.stallMs), timeoutMs, 250);
    return trades.filter((t) => !ready(t));
  }

  /**
   * Sends the day's reports for the trades whose plan acts on `day`; returns what operations should
   * then see. Instructions the plan rejects for a bad SSI go first, one by one: rejected (SAFE),
   * then `repairSsi` (operations store the counterparty's corrected SSI), then the custodian waits
   * for settlement to re-send the instruction, and reports on the new one as the plan says.
   */
  async reportDay(day: string, trades: ScenarioTrade[], repairSsi?: (trade: ScenarioTrade) => Promise<void>, timeoutMs = 120_000): Promise<DayExpectation[]> {
    await this.awaitAnswers();
    for (const trade of trades.filter((t) => t.custodian!.ssiRepair && t.custodian!.isd === day)) await this.rejectForSsi(day, trade, repairSsi, timeoutMs);
    const expectations: DayExpectation[] = [];
    const work: { trade: ScenarioTrade; instruction: ReceivedInstruction; reports: { report: Report; channel: StatusChannel }[] }[] = [];
    for (const trade of trades) {
      const plan = trade.custodian!;
      const instruction = this.instructionFor(trade);
      if (!instruction) {
        this.context.issues.push(`custodian: no instruction received for ${trade.sourceTradeId} on ${day}`);
        continue;
      }
      const reports = this.reportsOn(day, plan, instruction);
      if (reports.length === 0) continue;
      work.push({ trade, instruction, reports });
      expectations.push(this.expectationAfter(day, trade, plan, instruction));
    }
    await inPool(work, 8, async ({ trade, instruction, reports }) => {
      for (const { report, channel } of reports) await this.send(trade, instruction, report, channel);
    });
    return expectations;
  }

  /** The plan's rejection for a bad SSI, its repair by operations, and the re-sent instruction's arrival. */
  private async rejectForSsi(day: string, trade: ScenarioTrade, repairSsi: ((trade: ScenarioTrade) => Promise<void>) | undefined, timeoutMs: number): Promise<void> {
    const plan = trade.custodian!;
    const first = this.instructionFor(trade);
    if (!first) {
      this.context.issues.push(`custodian: no instruction received for ${trade.sourceTradeId} on ${day} to reject`);
      return;
    }
    const record: RepairedInstruction = { sourceTradeId: trade.sourceTradeId, rejected: first.instructionId, resent: null };
    this.repaired.push(record);
    await this.send(trade, first, { status: 'REJECTED', statusReason: plan.ssiRepair!.reasonCode }, plan.channels[0] ?? 'REST');
    const rejected = { instructionId: first.instructionId, sourceTradeId: trade.sourceTradeId, processingStatus: 'REJECTED', matchingStatus: 'UNMATCHED', settledQuantity: '0', failingParty: null };
    if ((await this.awaitApplied([rejected], timeoutMs)).length > 0) {
      this.context.issues.push(`custodian: the rejection of ${trade.sourceTradeId} (${first.instructionId}) was not applied`);
      return;
    }
    if (repairSsi) await repairSsi(trade);
    await pollUntil(() => this.instructionFor(trade)?.instructionId !== first.instructionId || this.context.observer.quietFor(this.context.stallMs), timeoutMs, 250);
    const resent = this.instructionFor(trade);
    if (resent && resent.instructionId !== first.instructionId) record.resent = resent.instructionId;
    else this.context.issues.push(`custodian: ${trade.sourceTradeId} was not re-sent after its SSI was repaired (rejected ${first.instructionId})`);
  }

  private reportsOn(day: string, plan: CustodianPlan, instruction: ReceivedInstruction): { report: Report; channel: StatusChannel }[] {
    const fop = instruction.type === 'FOP';
    const partialAmount = plan.partialAmount ?? '0';
    const remainder = (settledQuantity: string, settledAmount: string): Report => ({
      status: 'SETTLED',
      settledQuantity: toDecimalString(new Decimal(instruction.quantity).minus(settledQuantity)),
      ...(fop ? {} : { settledAmount: toDecimalString(new Decimal(instruction.settlementAmount).minus(settledAmount), minorUnits(instruction.currency)) }),
      effectiveDate: day,
    });
    const out: Report[] = [];
    if (day === plan.isd) {
      if (plan.outcome === 'REJECT') out.push({ status: 'REJECTED' });
      else if (plan.outcome === 'FAIL_UNMATCHED') out.push({ status: 'FAILED', failingParty: plan.failingParty!, reasonCode: plan.reasonCode! });
      else {
        out.push({ status: 'MATCHED' });
        if (plan.outcome === 'SETTLE') out.push(remainder('0', '0'));
        if (plan.outcome === 'PARTIAL_SETTLE' || plan.outcome === 'PARTIAL_CANCEL') {
          out.push({ status: 'PARTIALLY_SETTLED', settledQuantity: plan.partialQuantity!, settledAmount: partialAmount, effectiveDate: day });
        }
        if (plan.outcome === 'FAIL_SETTLE' || plan.outcome === 'FAIL_OPEN') out.push({ status: 'FAILED', failingParty: plan.failingParty!, reasonCode: plan.reasonCode! });
      }
      return out.map((report, i) => ({ report, channel: plan.channels[i] ?? 'REST' }));
    }
    if (day === plan.laterDay && (plan.outcome === 'PARTIAL_SETTLE' || plan.outcome === 'FAIL_SETTLE')) {
      const settled = plan.outcome === 'PARTIAL_SETTLE' ? remainder(plan.partialQuantity!, partialAmount) : remainder('0', '0');
      return [{ report: settled, channel: plan.channels[2] ?? 'REST' }];
    }
    return [];
  }

  private expectationAfter(day: string, trade: ScenarioTrade, plan: CustodianPlan, instruction: ReceivedInstruction): DayExpectation {
    const onIsd = day === plan.isd;
    const settledQuantity =
      plan.outcome === 'SETTLE' || !onIsd
        ? plan.outcome === 'FAIL_OPEN' || plan.outcome === 'FAIL_UNMATCHED' ? '0' : instruction.quantity
        : plan.outcome === 'PARTIAL_SETTLE' || plan.outcome === 'PARTIAL_CANCEL' ? plan.partialQuantity! : '0';
    return {
      instructionId: instruction.instructionId,
      sourceTradeId: trade.sourceTradeId,
      processingStatus: plan.outcome === 'REJECT' ? 'REJECTED' : 'INSTRUCTED',
      matchingStatus: plan.outcome === 'REJECT' || plan.outcome === 'FAIL_UNMATCHED' ? 'UNMATCHED' : 'MATCHED',
      settledQuantity,
      // A fail settled in full is history: settlement shows no current failing party for it.
      failingParty: new Decimal(settledQuantity).equals(instruction.quantity) ? null : plan.failingParty,
    };
  }

  private async send(trade: ScenarioTrade, instruction: ReceivedInstruction, report: Report, channel: StatusChannel): Promise<void> {
    const updateId = `${this.context.scenario.runTag}-U${String(++this.updateSerial).padStart(6, '0')}`;
    if (report.status === 'SETTLED' || report.status === 'PARTIALLY_SETTLED') {
      // Booked at the depository whatever the platform makes of the report: a statement shows it.
      this.movements.push({
        reference: updateId,
        sourceTradeId: trade.sourceTradeId,
        instructionId: instruction.instructionId,
        safekeepingAccount: instruction.safekeepingAccount,
        cashAccount: instruction.cashAccount,
        isin: instruction.isin,
        direction: instruction.direction,
        quantity: report.settledQuantity!,
        amount: report.settledAmount ?? null,
        currency: instruction.currency,
        settlementDate: report.effectiveDate!,
      });
    }
    const reference = instruction.instructionId.replace(/-/g, '').toUpperCase();
    const createdAt = new Date().toISOString();
    try {
      if (channel === 'XML' && report.reasonCode !== 'OTHR') {
        const xml =
          report.status === 'SETTLED' || report.status === 'PARTIALLY_SETTLED'
            ? sese025({
                messageId: updateId,
                reference,
                isin: instruction.isin,
                quantity: report.settledQuantity!,
                faceAmount: this.context.scenario.instruments.find((i) => i.isin === instruction.isin)?.priceType === 'PERCENT_OF_PAR',
                amount: report.settledAmount === undefined ? null : { value: report.settledAmount, currency: instruction.currency },
                effectiveDate: report.effectiveDate!,
                partial: report.status === 'PARTIALLY_SETTLED',
                createdAt,
              })
            : sese024(
                updateId,
                reference,
                instruction.isin,
                report.status === 'FAILED'
                  ? { kind: 'FAILING', reasonCode: report.reasonCode as 'LACK' }
                  : report.status === 'REJECTED'
                    ? { kind: 'REJECTED', ...(report.statusReason === undefined ? {} : { reasonCode: report.statusReason }) }
                    : { kind: 'MATCHED' },
                createdAt,
              );
        await this.context.rest.expect([200], 'settlement', 'POST', '/api/v1/status-messages', { key: Keys.custodian, text: { contentType: 'application/xml', value: xml } });
      } else if (channel === 'KAFKA') {
        const data = { instructionId: instruction.instructionId, updateId, ...report };
        await this.context.sender.send([this.context.sender.message(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, instruction.instructionId, data)]);
      } else {
        await this.context.rest.expect([200], 'settlement', 'POST', `/api/v1/instructions/${instruction.instructionId}/status-updates`, {
          key: Keys.custodian,
          body: { updateId, ...report },
        });
      }
    } catch (err) {
      this.context.issues.push(`custodian ${trade.sourceTradeId} ${report.status} by ${channel}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Operations' check before closing the day: every report of the day is applied (a Kafka report is not answered). */
  async awaitApplied(expectations: DayExpectation[], timeoutMs: number): Promise<DayExpectation[]> {
    const pending = new Set(expectations);
    await pollUntil(async () => {
      await inPool([...pending], 8, async (e) => {
        const answer = await this.context.rest.call('settlement', 'GET', `/api/v1/instructions/${e.instructionId}`, { key: readKey() });
        if (answer.status !== 200) return;
        const i = answer.body;
        const applied =
          i.processingStatus === e.processingStatus &&
          i.matchingStatus === e.matchingStatus &&
          new Decimal(i.settledQuantity).equals(e.settledQuantity) &&
          (e.failingParty === null || i.failingParty === e.failingParty);
        if (applied) pending.delete(e);
      });
      return pending.size === 0;
    }, timeoutMs, 300);
    return [...pending];
  }

  /**
   * End of a settlement day: the custodian's statements of every account of our SSIs, made from
   * its own books (what it reported settled, and when) with the differences the plan injects:
   * holdings (semt.002), the day's postings (semt.017) and cash (camt.053), each in its planned
   * form (XML, JSON or CSV by REST, JSON on Kafka). Sent once reconciliation has booked the day
   * (its positions and cash equal the custodian's, and it has taken in settlement's events);
   * returns once each is applied.
   */
  async sendStatements(day: string, timeoutMs: number): Promise<void> {
    const plan = this.context.expected.reconciliation;
    if (!plan) return;
    const { issues } = this.context;
    const planned = plan.statements.filter((s) => s.asOf === day);
    const unbooked = await awaitBooked(this.context, day, plan.accounts, this.movements, timeoutMs);
    if (unbooked.length > 0) issues.push(`${day}: reconciliation's books still differ from the custodian's after ${timeoutMs / 1000} s: ${unbooked.slice(0, 6).join(' | ')}`);
    const consumed = await awaitConsumerGroup(this.connection, RECONCILIATION_BOOKS_GROUP, [Topics.settlementEvents, Topics.ledgerEvents], timeoutMs);
    if (!consumed.caughtUp) issues.push(`${day}: reconciliation had not taken in settlement's and the ledger's events after ${timeoutMs / 1000} s: ${consumed.behind.slice(0, 4).join('; ')}`);

    await inPool(planned, 4, async (p) => {
      const account = plan.accounts.find((a) => (p.type === 'CASH' ? a.cashAccount : a.safekeepingAccount) === p.account)!;
      const { lines, notApplied } = injectStatement(statementContent(p.type, this.movements, account, day), p.injections);
      if (notApplied.length > 0) issues.push(`custodian ${p.statementId}: ${notApplied.length} planned difference(s) name a line its books do not have: ${JSON.stringify(notApplied).slice(0, 300)}`);
      if (lines.length !== p.lines) issues.push(`custodian ${p.statementId} (${p.type} ${p.account} ${day}): ${lines.length} lines from its books, the scenario says ${p.lines}`);
      const delivery: Delivery = { id: p.statementId, type: p.type, form: p.form, account: p.account, asOf: day, lines: lines.length, result: null, error: null };
      this.statements.push(delivery);
      try {
        delivery.result = await sendStatement(this.context, p.form, toStatement({ statementId: p.statementId, type: p.type, account: p.account, asOf: day }, lines));
      } catch (err) {
        delivery.error = err instanceof Error ? err.message : String(err);
        issues.push(`custodian statement ${p.statementId} (${p.type} by ${p.form}): ${delivery.error}`);
      }
    });
    const unapplied = await awaitStatementsApplied(this.context, planned, timeoutMs);
    if (unapplied.length > 0) issues.push(`${day}: ${unapplied.length} statement(s) not applied by reconciliation, e.g. ${unapplied.slice(0, 5).map((s) => `${s.statementId} (${s.type} by ${s.form})`).join(', ')}`);
  }
}
