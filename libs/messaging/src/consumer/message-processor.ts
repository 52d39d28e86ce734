import type { DataSource } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { fromHeaders, validatePayload, type EventEnvelope } from '@postrade/contracts';
import { TransactionRunner } from '@postrade/persistence';
import { recordInInbox } from '../inbox/inbox';
import type { EventHandler, RawMessage } from './consumed-event';

export type ProcessOutcome = 'applied' | 'duplicate' | 'ignored';

/** A failure that no retry can fix: unparsable, invalid, or rejected by a domain rule. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/**
 * Turns one raw message into at most one effect: parse the CloudEvents headers and JSON value,
 * validate the payload, then in one transaction record it in the inbox and apply the handler.
 * Shared by the live consumer and by dead-letter replay, so both behave the same.
 */
export class MessageProcessor {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly transactions: TransactionRunner;

  constructor(
    readonly consumer: string,
    dataSource: DataSource,
    handlers: EventHandler[],
  ) {
    this.transactions = new TransactionRunner(dataSource);
    for (const handler of handlers) {
      for (const type of handler.eventTypes) {
        if (this.handlers.has(type)) throw new Error(`${consumer}: two handlers for ${type}`);
        this.handlers.set(type, handler);
      }
    }
  }

  async process(message: RawMessage): Promise<ProcessOutcome> {
    const { envelope, handler } = this.parse(message);
    if (!handler) return 'ignored';
    try {
      return await this.transactions.run(async (em) => {
        const fresh = await recordInInbox(em, {
          consumer: this.consumer,
          eventId: envelope.id,
          eventType: envelope.type,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
        });
        if (!fresh) return 'duplicate';
        await handler.handle({ envelope, message }, em);
        return 'applied';
      });
    } catch (err) {
      if (err instanceof DomainError) throw new PermanentFailure(err.message);
      throw err;
    }
  }

  private parse(message: RawMessage): { envelope: EventEnvelope<unknown>; handler?: EventHandler } {
    let attributes: Omit<EventEnvelope<unknown>, 'data'>;
    try {
      attributes = fromHeaders(message.headers);
    } catch (err) {
      throw new PermanentFailure(`invalid CloudEvents headers: ${err instanceof Error ? err.message : String(err)}`);
    }
    const handler = this.handlers.get(attributes.type);
    let data: unknown;
    try {
      data = JSON.parse(message.value);
    } catch (err) {
      throw new PermanentFailure(`value is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (handler?.payloadClass) {
      try {
        data = validatePayload(handler.payloadClass, data);
      } catch (err) {
        throw new PermanentFailure(`invalid ${attributes.type} payload: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { envelope: { ...attributes, data }, handler };
  }
}
