import { SpanKind, type Attributes, type Span, type SpanContext } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { EVENT_TYPE_TOPICS, fromHeaders, validatePayload, type EventEnvelope } from '@postrade/contracts';
import { isTransientDatabaseError, TransactionRunner } from '@postrade/persistence';
import { correlationContext, createLogger, endSpan, runInSpan, startSpan, tracingExports } from '@postrade/platform';
import { recordNewInInbox } from '../inbox/inbox';
import type { Outbox } from '../outbox/outbox';
import { deadLetterInTransaction } from '../dead-letters/dead-letter-store';
import type { ConsumedEvent, EventHandler, RawMessage } from './consumed-event';
import { sourceCheckFailure } from './source-check';
import { traceContextOfMessage, withConsumedEventSpans } from '../tracing/event-trace-context';

export type ProcessOutcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered';

/** A failure that no retry can fix: unparsable, invalid, or rejected by a domain rule. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** What kind of failure an error is, which decides between waiting it out and dead-lettering. */
export type FailureKind = 'transient' | 'permanent' | 'unexpected';

/**
 * Transient (database or broker away, serialization failure, deadlock, lock or statement timeout):
 * wait and retry without limit. Permanent (unparsable, invalid, a domain rule): dead-letter at once.
 * Unexpected (anything else, e.g. a bug in a handler): retried a bounded number of times, then
 * dead-lettered so that one bad event cannot stop its partition forever.
 */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof PermanentFailure || err instanceof DomainError) return 'permanent';
  if (isTransientDatabaseError(err)) return 'transient';
  return 'unexpected';
}

export interface BatchOptions {
  /** Dead-letter events whose handler fails with an unexpected error (the last attempt). */
  deadLetterUnexpected?: boolean;
  /** The attempt this is, written on dead letters. */
  attempt?: number;
  /** Where dead-letter copies are published (through the outbox, in the same transaction). */
  dlqTopic: string;
}

export interface BatchResult {
  outcomes: ProcessOutcome[];
}

export interface MessageProcessorOptions {
  /**
   * Event types this consumer skips on purpose although the contract does not put them on its
   * topics (a test topic, a type being retired). Types the contract puts on a consumed topic are
   * skipped without being listed: a consumer reads a topic for the types it handles. Any other
   * type is dead-lettered, with the reason, never skipped silently.
   */
  ignoredEventTypes?: readonly string[];
}

const log = createLogger('consumer');

interface Parsed {
  message: RawMessage;
  envelope?: EventEnvelope<unknown>;
  handler?: EventHandler;
  error?: string;
  /** The event's `ce_traceparent` / `ce_tracestate`, when valid. */
  trace?: SpanContext;
}

/**
 * Applies a batch of messages from one partition in ONE database transaction:
 * 1. parse and validate every message (a failure is permanent: it is dead-lettered);
 * 2. one multi-row inbox insert decides which events are new (a re-delivery has no second effect);
 * 3. runs of consecutive new events with the same handler go to `handleBatch` (or `handle` one by
 *    one). The first attempt takes no savepoint (two round trips a batch saved on the common path);
 *    if a run fails with a non-transient error, the whole transaction is rolled back and the batch
 *    applied again with each run under a savepoint: a run that fails again is rolled back to it and
 *    re-applied event by event, each under its own savepoint, so that only the event at fault is
 *    dead-lettered and its neighbours are applied once;
 * 4. a dead letter (its `dead_letters` row, its DLQ copy in the outbox) commits with the batch and
 *    its inbox mark, so a retried batch never puts a second copy on the DLQ topic.
 * A transient error anywhere rolls the whole transaction back and is thrown to the caller, which
 * waits and tries the same batch again.
 * Each event is applied in a consumer span, the child of its `ce_traceparent` (see `applyOne` and,
 * for `handleBatch` runs, `applyTogether`), so the events a handler writes continue its trace.
 */
export class MessageProcessor {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly transactions: TransactionRunner;
  private readonly ignored: ReadonlySet<string>;

  constructor(
    readonly consumer: string,
    dataSource: DataSource,
    handlers: EventHandler[],
    private readonly outbox: Outbox,
    options: MessageProcessorOptions = {},
  ) {
    this.ignored = new Set(options.ignoredEventTypes ?? []);
    this.transactions = new TransactionRunner(dataSource);
    for (const handler of handlers) {
      for (const type of handler.eventTypes) {
        if (this.handlers.has(type)) throw new Error(`${consumer}: two handlers for ${type}`);
        this.handlers.set(type, handler);
      }
    }
  }

  async processBatch(messages: RawMessage[], options: BatchOptions): Promise<BatchResult> {
    const parsed = messages.map((m) => this.parse(m));
    try {
      return await this.transactions.run((em) => this.applyBatch(em, parsed, options, 'optimistic'));
    } catch (err) {
      if (!(err instanceof IsolationNeeded)) throw err;
      return this.transactions.run((em) => this.applyBatch(em, parsed, options, 'isolating'));
    }
  }

  /**
   * The batch in one transaction. `optimistic`: runs without savepoints, and a run's non-transient
   * failure aborts the transaction (`IsolationNeeded`) for an `isolating` attempt, where runs and
   * then single events are under savepoints.
   */
  private async applyBatch(em: EntityManager, parsed: Parsed[], options: BatchOptions, mode: 'optimistic' | 'isolating'): Promise<BatchResult> {
    const outcomes: ProcessOutcome[] = new Array(parsed.length).fill('ignored');
    const candidates = parsed.map((p, i) => ({ p, i })).filter(({ p }) => p.envelope && p.handler);
    const fresh = await recordNewInInbox(
      em,
      this.consumer,
      candidates.map(({ p }) => ({
        eventId: p.envelope!.id,
        eventType: p.envelope!.type,
        topic: p.message.topic,
        partition: p.message.partition,
        offset: p.message.offset,
      })),
    );
    const toApply: { p: Parsed; i: number }[] = [];
    for (const c of candidates) {
      if (fresh.delete(c.p.envelope!.id.toLowerCase())) toApply.push(c);
      else outcomes[c.i] = 'duplicate';
    }
    for (const [i, p] of parsed.entries()) {
      if (p.error) {
        await this.deadLetter(em, p.message, p.error, options);
        outcomes[i] = 'dead-lettered';
      }
    }
    for (let start = 0; start < toApply.length; ) {
      let end = start + 1;
      while (end < toApply.length && toApply[end].p.handler === toApply[start].p.handler) end++;
      const run = toApply.slice(start, end);
      const results = await this.applyRun(em, run.map((r) => r.p), options, mode);
      run.forEach((r, k) => (outcomes[r.i] = results[k]));
      start = end;
    }
    return { outcomes };
  }

  /**
   * Replays one dead-lettered message through the same parsing, validation and handler; a failure
   * of any kind is thrown to the caller instead of being dead-lettered again.
   *
   * With `letterId`, the letter is locked (`for update`) and marked REPLAYED in the same
   * transaction as the handler's work: two replays of one letter (a double click, a retry after a
   * timeout) queue on the lock and the second finds it REPLAYED and does nothing ('duplicate'),
   * and a crash in the middle rolls the whole replay back, so the event is applied once.
   */
  async replay(message: RawMessage, letterId?: string): Promise<ProcessOutcome> {
    const p = this.parse(message);
    if (p.error) throw new PermanentFailure(p.error);
    return this.transactions.run(async (em) => {
      if (letterId !== undefined) {
        const rows: { status: string }[] = await em.query('select status from dead_letters where id = $1 for update', [letterId]);
        if (rows[0]?.status !== 'PENDING') return 'duplicate';
      }
      let outcome: ProcessOutcome = 'ignored';
      if (p.handler) {
        // A dead-lettered event keeps its inbox mark (so re-deliveries skip it); replay lifts it.
        await em.query('delete from inbox where consumer = $1 and event_id = $2', [this.consumer, p.envelope!.id]);
        await recordNewInInbox(em, this.consumer, [
          { eventId: p.envelope!.id, eventType: p.envelope!.type, topic: message.topic, partition: message.partition, offset: message.offset },
        ]);
        await this.applyOne(p, () => p.handler!.handle(this.consumed(p), em));
        outcome = 'applied';
      }
      if (letterId !== undefined) {
        await em.query(`update dead_letters set status = 'REPLAYED', replayed_at = now(), replay_error = null where id = $1`, [letterId]);
      }
      return outcome;
    });
  }

  /** Runs `work` with the events' correlation id as the logging context, when they share one. */
  private inContext<T>(events: Parsed[], work: () => Promise<T>): Promise<T> {
    const ids = new Set(events.map((p) => p.envelope?.correlationId ?? p.envelope?.id));
    const [id] = ids;
    return ids.size === 1 && id ? correlationContext.run(id, work) : work();
  }

  /**
   * Applies one event in its consumer span: the child of the event's `ce_traceparent` (a new trace
   * when it has none), active while the handler runs, so that its log lines and the events it
   * writes carry the span's context.
   */
  private applyOne(p: Parsed, work: () => Promise<void>): Promise<void> {
    return runInSpan(this.eventSpan(p), () => this.inContext([p], work));
  }

  /**
   * Applies a run of events with `handleBatch` in one span for the run (a new trace, linked to every
   * event's context; active for the handler's own log lines) and one span per event (the child of
   * that event's context). An event the handler writes carries the span of the consumed event its
   * `causationId` names, so each event's trace goes on through a batch; one naming none of them
   * carries the run's span.
   */
  private async applyTogether(run: Parsed[], work: () => Promise<void>): Promise<void> {
    const spans = run.map((p) => this.eventSpan(p));
    const byEvent = new Map(run.map((p, k) => [p.envelope!.id, spans[k].spanContext()]));
    const runSpan = startSpan({
      name: `process ${run[0].message.topic}`,
      kind: SpanKind.CONSUMER,
      links: run.flatMap((p) => (p.trace ? [p.trace] : [])),
      attributes: tracingExports() ? { ...this.spanAttributes(run[0].message), 'messaging.batch.message_count': run.length } : undefined,
    });
    try {
      await runInSpan(runSpan, () => withConsumedEventSpans(byEvent, () => this.inContext(run, work)));
    } catch (err) {
      for (const span of spans) endSpan(span, err);
      throw err;
    }
    for (const span of spans) endSpan(span);
  }

  private eventSpan(p: Parsed): Span {
    return startSpan({
      name: `process ${p.message.topic}`,
      kind: SpanKind.CONSUMER,
      parent: p.trace,
      // Attributes only when spans are exported: with export off a span is its ids and nothing more.
      attributes: tracingExports()
        ? {
            ...this.spanAttributes(p.message),
            'messaging.message.id': p.envelope!.id,
            'messaging.kafka.message.key': p.message.key ?? '',
            'messaging.kafka.offset': Number(p.message.offset),
            'cloudevents.event_type': p.envelope!.type,
            'cloudevents.event_source': p.envelope!.source,
          }
        : undefined,
    });
  }

  /** OpenTelemetry's messaging attributes (semantic conventions) of a consumed message. */
  private spanAttributes(message: RawMessage): Attributes {
    return {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': message.topic,
      'messaging.destination.partition.id': String(message.partition),
      'messaging.consumer.group.name': this.consumer,
    };
  }

  private async applyRun(em: EntityManager, run: Parsed[], options: BatchOptions, mode: 'optimistic' | 'isolating'): Promise<ProcessOutcome[]> {
    const handler = run[0].handler!;
    const apply = async () => {
      if (handler.handleBatch && run.length > 1) await this.applyTogether(run, () => handler.handleBatch!(run.map((p) => this.consumed(p)), em));
      else for (const p of run) await this.applyOne(p, () => handler.handle(this.consumed(p), em));
    };
    if (mode === 'optimistic') {
      try {
        await apply();
        return run.map(() => 'applied');
      } catch (err) {
        if (classifyFailure(err) === 'transient') throw err;
        throw new IsolationNeeded(err);
      }
    }
    try {
      await withSavepoint(em, 'run', apply);
      return run.map(() => 'applied');
    } catch (err) {
      if (classifyFailure(err) === 'transient' || run.length === 1) return [await this.afterFailure(em, run[0], err, options)];
    }
    // Isolate the event at fault: each event alone, under its own savepoint.
    const outcomes: ProcessOutcome[] = [];
    for (const p of run) {
      try {
        await withSavepoint(em, 'event', () => this.applyOne(p, () => handler.handle(this.consumed(p), em)));
        outcomes.push('applied');
      } catch (err) {
        outcomes.push(await this.afterFailure(em, p, err, options));
      }
    }
    return outcomes;
  }

  private async afterFailure(em: EntityManager, p: Parsed, err: unknown, options: BatchOptions): Promise<ProcessOutcome> {
    const kind = classifyFailure(err);
    if (kind === 'transient' || (kind === 'unexpected' && !options.deadLetterUnexpected)) throw err;
    await this.deadLetter(em, p.message, err instanceof Error ? err.message : String(err), options);
    return 'dead-lettered';
  }

  private async deadLetter(em: EntityManager, message: RawMessage, error: string, options: BatchOptions): Promise<void> {
    log.warn(
      {
        consumer: this.consumer,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        eventId: message.headers['ce_id'],
        eventType: message.headers['ce_type'],
        correlationId: message.headers['ce_correlationid'] ?? message.headers['ce_id'],
        reason: error.slice(0, 500),
      },
      'message dead-lettered',
    );
    await deadLetterInTransaction(em, this.outbox, { consumer: this.consumer, dlqTopic: options.dlqTopic, message, error, attempts: options.attempt ?? 1 });
  }

  private consumed(p: Parsed): ConsumedEvent {
    return { envelope: p.envelope!, message: p.message };
  }

  private parse(message: RawMessage): Parsed {
    const parsed = this.parseEnvelope(message);
    if (parsed.envelope) parsed.trace = traceContextOfMessage(message.headers);
    return parsed;
  }

  private parseEnvelope(message: RawMessage): Parsed {
    let attributes: Omit<EventEnvelope<unknown>, 'data'>;
    try {
      attributes = fromHeaders(message.headers);
    } catch (err) {
      return { message, error: `invalid CloudEvents headers: ${err instanceof Error ? err.message : String(err)}` };
    }
    const forged = sourceCheckFailure(message, attributes.source);
    if (forged) return { message, error: forged };
    const handler = this.handlers.get(attributes.type);
    if (!handler) {
      const error = unhandledTypeReason({ consumer: this.consumer, handled: [...this.handlers.keys()], ignored: this.ignored, type: attributes.type, topic: message.topic });
      return error ? { message, error } : { message, envelope: { ...attributes, data: undefined } };
    }
    let data: unknown;
    try {
      data = JSON.parse(message.value);
    } catch (err) {
      return { message, error: `value is not JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (handler.payloadClass) {
      try {
        data = validatePayload(handler.payloadClass, data);
      } catch (err) {
        return { message, error: `invalid ${attributes.type} payload: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    return { message, envelope: { ...attributes, data }, handler };
  }
}

/**
 * Why an event no handler of the consumer takes is dead-lettered, or undefined when it is skipped on
 * purpose: a type the contract puts on the topic (the consumer reads the topic for other types of
 * it) or one the consumer lists in `ignoredEventTypes`. Anything else (a type the producer should
 * not have put there, a misspelt or newer version) is a fault to look at, not to drop silently.
 */
export function unhandledTypeReason(at: { consumer: string; handled: readonly string[]; ignored: ReadonlySet<string>; type: string; topic: string }): string | undefined {
  if (at.ignored.has(at.type) || (EVENT_TYPE_TOPICS as Readonly<Record<string, string>>)[at.type] === at.topic) return undefined;
  return `no handler for event type ${at.type} on ${at.topic}: consumer ${at.consumer} handles ${at.handled.join(', ') || 'nothing'}, and the contract does not put this type on the topic`;
}

/** A run failed on the optimistic attempt: the batch is rolled back and applied again with savepoints. */
class IsolationNeeded extends Error {
  constructor(override readonly cause: unknown) {
    super(`a run failed (${cause instanceof Error ? cause.message : String(cause)}); applying the batch again with savepoints`);
  }
}

let savepointCounter = 0;

async function withSavepoint(em: EntityManager, label: string, work: () => Promise<unknown>): Promise<void> {
  const name = `${label}_${++savepointCounter}`;
  await em.query(`savepoint ${name}`);
  try {
    await work();
  } catch (err) {
    // The rollback itself fails when the connection is gone; the original error says more.
    await em.query(`rollback to savepoint ${name}`).catch(() => undefined);
    throw err;
  }
  await em.query(`release savepoint ${name}`);
}
