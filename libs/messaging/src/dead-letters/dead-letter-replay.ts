import { DomainError } from '@postrade/kernel';
import type { DeadLetterStore, DeadLetter } from './dead-letter-store';
import type { MessageProcessor } from '../consumer/message-processor';

/**
 * Replays a dead letter through the same processing as live consumption. Success marks it REPLAYED
 * in the same transaction as the handler's work, under a lock on the letter, so replaying it twice
 * (or crashing mid-replay and replaying again) applies the event once; failure keeps it PENDING
 * with the new error, and is reported to the caller as 422.
 */
export async function replayDeadLetter(store: DeadLetterStore, processors: MessageProcessor[], id: string): Promise<DeadLetter> {
  const letter = await store.get(id);
  if (!letter) throw DomainError.notFound('Dead letter', id);
  if (letter.status === 'REPLAYED') return letter;
  const processor = processors.find((p) => p.consumer === letter.consumer);
  if (!processor) throw DomainError.unprocessable(`no consumer ${letter.consumer} runs in this service`);
  try {
    // The letter is locked and marked REPLAYED in the replay's own transaction (see
    // MessageProcessor.replay): a second replay, concurrent or later, applies nothing.
    await processor.replay(
      {
        topic: letter.topic,
        partition: letter.partition,
        offset: letter.offset,
        key: letter.key,
        headers: letter.headers,
        value: letter.payload,
      },
      letter.id,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await store.markReplayFailed(id, message);
    throw DomainError.unprocessable(`replay failed: ${message}`);
  }
  return (await store.get(id))!;
}
