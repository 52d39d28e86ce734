import { EventTypes, Topics } from '@postrade/contracts';
import type { EventSender } from '../bus';
import { Keys, tradeIdOf, type SimulationContext } from '../context';
import type { ScenarioTrade, TradeTerms, TradeVersionPlan } from '../scenario';

type KafkaMessage = ReturnType<EventSender['message']>;

/**
 * The upstream order management system: reports each trade's NEW, AMENDs and CANCEL on
 * `trades.inbound.v1` or through `POST/PUT /api/v1/trades`, as the scenario says, duplicates
 * included. Kafka messages are handed back to be sent in order with the day's batch; REST calls of
 * one trade run one after another (an amendment needs the trade id the NEW answered with).
 */
export class UpstreamSystem {
  private readonly chains = new Map<string, Promise<void>>();

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
}
