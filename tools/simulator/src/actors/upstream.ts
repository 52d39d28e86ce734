import { EventTypes, Topics } from '@postrade/contracts';
import type { KafkaConnection } from '@postrade/messaging';
import { awaitConsumerGroup, type EventSender } from '../bus';
import { Keys, tradeIdOf, type SimulationContext } from '../context';
import { pollUntil } from '../http';
import type { PlannedBlotter } from '../reconciliation-plan';
import type { ScenarioTrade, TradeTerms, TradeVersionPlan } from '../scenario';
import { blotterLines, injectBlotter, toBlotter } from '../statements';
import { RECONCILIATION_BOOKS_GROUP, sendBlotter, type Delivery } from './statement-delivery';

type KafkaMessage = ReturnType<EventSender['message']>;

/**
 * The upstream order management system: reports each trade's NEW, AMENDs and CANCEL on
 * `trades.inbound.v1` or through `POST/PUT /api/v1/trades`, as the scenario says, duplicates
 * included. Kafka messages are handed back to be sent in order with the day's batch; REST calls of
 * one trade run one after another (an amendment needs the trade id the NEW answered with).
 */
export class UpstreamSystem {
  private readonly chains = new Map<string, Promise<void>>();
  /** Trades it has cancelled: left off its blotters from then on. */
  readonly cancelled = new Set<string>();
  /** Every blotter sent to reconciliation, for the report. */
  readonly blotters: Delivery[] = [];

  constructor(private readonly context: SimulationContext) {}

  private submission(trade: ScenarioTrade, terms: TradeTerms) {
    return { sourceSystem: this.context.scenario.sourceSystem, sourceTradeId: trade.sourceTradeId, ...terms };
  }

  private reported(trade: ScenarioTrade, action: 'NEW' | 'AMEND' | 'CANCEL', version: number, terms: TradeTerms | null, reason?: string) {
    const data = terms === null
      ? { action, version, reason, sourceSystem: this.context.scenario.sourceSystem, sourceTradeId: trade.sourceTradeId }
      : { action, version, ...this.submission(trade, terms) };
    return this.context.sender.message(Topics.tradesInbound, EventTypes.tradeReported, trade.sourceTradeId, data);
  }

  /** Runs a REST step of a trade after its earlier steps. */
  private chain(trade: ScenarioTrade, step: () => Promise<void>): void {
    const previous = this.chains.get(trade.sourceTradeId) ?? Promise.resolve();
    const next = previous.then(step).catch((err) => {
      this.context.issues.push(`upstream ${trade.sourceTradeId}: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.chains.set(trade.sourceTradeId, next);
  }

  async settled(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  reportNew(trade: ScenarioTrade, batch: KafkaMessage[]): void {
    const v1 = trade.versions[0];
    if (trade.channel === 'KAFKA') {
      batch.push(this.reported(trade, 'NEW', 1, v1.terms));
      return;
    }
    const idempotencyKey = trade.duplicate === 'REPLAY' ? `${trade.sourceTradeId}-new` : undefined;
    this.chain(trade, async () => {
      // 200: a retry after a 5xx found the first attempt applied (a replay of the same content).
      const created = await this.context.rest.expect([200, 201], 'trade-capture', 'POST', '/api/v1/trades', {
        key: Keys.upstream,
        body: this.submission(trade, v1.terms),
        headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined,
      });
      this.context.tradeIds.set(trade.sourceTradeId, created.tradeId);
    });
  }

  /** The same NEW again: with a new message id (REPLAYED), the very same message (REDELIVER), or re-posted. */
  duplicate(trade: ScenarioTrade, batch: KafkaMessage[]): void {
    const v1 = trade.versions[0];
    if (trade.channel === 'KAFKA') {
      const message = this.reported(trade, 'NEW', 1, v1.terms);
      if (trade.duplicate === 'REDELIVER') batch.push(message, message);
      else batch.push(message);
      return;
    }
    this.chain(trade, async () => {
      // With the same Idempotency-Key the first answer (201) is replayed; without one, the same content is 200.
      await this.context.rest.expect([201], 'trade-capture', 'POST', '/api/v1/trades', {
        key: Keys.upstream,
        body: this.submission(trade, v1.terms),
        headers: { 'Idempotency-Key': `${trade.sourceTradeId}-new` },
      });
      await this.context.rest.expect([200], 'trade-capture', 'POST', '/api/v1/trades', { key: Keys.upstream, body: this.submission(trade, v1.terms) });
    });
  }

  amend(trade: ScenarioTrade, version: TradeVersionPlan, batch: KafkaMessage[]): void {
    if (trade.channel === 'KAFKA') {
      batch.push(this.reported(trade, 'AMEND', version.version, version.terms));
      return;
    }
    this.chain(trade, async () => {
      const tradeId = this.requireTradeId(trade);
      await this.context.rest.expect([200], 'trade-capture', 'PUT', `/api/v1/trades/${tradeId}`, {
        key: Keys.upstream,
        body: { ...this.submission(trade, version.terms), version: version.version },
      });
    });
  }

  /** An amendment below the current version with other content: trade capture rejects it (and dead-letters it). */
  stale(trade: ScenarioTrade, version: TradeVersionPlan, batch: KafkaMessage[]): void {
    batch.push(this.reported(trade, 'AMEND', version.version, version.terms));
  }

  cancel(trade: ScenarioTrade, batch: KafkaMessage[]): void {
    const cancel = trade.cancel!;
    this.cancelled.add(trade.sourceTradeId);
    if (trade.channel === 'KAFKA') {
      batch.push(this.reported(trade, 'CANCEL', cancel.version, null, cancel.reason));
      return;
    }
    this.chain(trade, async () => {
      const tradeId = this.requireTradeId(trade);
      await this.context.rest.expect([200, 201], 'trade-capture', 'POST', `/api/v1/trades/${tradeId}/cancel`, { key: Keys.upstream, body: { reason: cancel.reason } });
    });
  }

  private requireTradeId(trade: ScenarioTrade): string {
    const tradeId = tradeIdOf(this.context, trade.sourceTradeId);
    if (!tradeId) throw new Error(`no trade id known for ${trade.sourceTradeId}`);
    return tradeId;
  }

  /**
   * End of a trade day: the OMS's blotter of the day (each trade it reported, its latest version,
   * not cancelled), with the planned differences, as JSON or CSV. Sent once reconciliation has the
   * day's trades: the platform has published each in the version the OMS last reported, and
   * reconciliation's consumer has taken in trade capture's events.
   */
  async sendBlotter(planned: PlannedBlotter, connection: KafkaConnection, timeoutMs: number): Promise<void> {
    const { scenario, observer, issues } = this.context;
    const { tradeDate } = planned;
    const lines = blotterLines(scenario.trades, tradeDate, (t) => this.cancelled.has(t.sourceTradeId));
    const published = (trade: ScenarioTrade) => {
      const tradeId = tradeIdOf(this.context, trade.sourceTradeId);
      const seen = tradeId ? observer.captured.get(tradeId) : undefined;
      const version = this.cancelled.has(trade.sourceTradeId) ? trade.cancel!.version : trade.versions[trade.versions.length - 1].version;
      return seen !== undefined && seen.version >= version;
    };
    const ofDay = scenario.trades.filter((t) => t.tradeDate === tradeDate);
    await pollUntil(() => ofDay.every(published) || observer.quietFor(this.context.stallMs), timeoutMs, 250);
    const unpublished = ofDay.filter((t) => !published(t));
    if (unpublished.length > 0) issues.push(`${tradeDate}: blotter sent with ${unpublished.length} trade(s) not published by trade capture in their last version, e.g. ${unpublished.slice(0, 5).map((t) => t.sourceTradeId).join(', ')}`);
    const consumed = await awaitConsumerGroup(connection, RECONCILIATION_BOOKS_GROUP, [Topics.tradeCaptureTrades], timeoutMs);
    if (!consumed.caughtUp) issues.push(`${tradeDate}: reconciliation had not taken in trade capture's events after ${timeoutMs / 1000} s: ${consumed.behind.slice(0, 4).join('; ')}`);

    const injected = injectBlotter(lines, planned.injections);
    if (injected.notApplied.length > 0) issues.push(`upstream blotter ${tradeDate}: ${injected.notApplied.length} planned difference(s) name a trade not on it`);
    if (injected.lines.length !== planned.trades) issues.push(`upstream blotter ${tradeDate}: ${injected.lines.length} trades, the scenario says ${planned.trades}`);
    const delivery: Delivery = { id: `blotter ${tradeDate}`, type: 'BLOTTER', form: planned.form, account: scenario.sourceSystem, asOf: tradeDate, lines: injected.lines.length, result: null, error: null };
    this.blotters.push(delivery);
    try {
      delivery.result = await sendBlotter(this.context, planned.form, toBlotter(scenario.sourceSystem, tradeDate, injected.lines));
    } catch (err) {
      delivery.error = err instanceof Error ? err.message : String(err);
      issues.push(`upstream blotter ${tradeDate} by ${planned.form}: ${delivery.error}`);
    }
  }
}
