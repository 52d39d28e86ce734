import { sourceRefusal } from '@postrade/contracts';
import type { RawMessage } from './consumed-event';

/**
 * No producer speaks for another service: an event on a Postrade topic must carry, as `ce_source`,
 * the topic's owner (an internal stream) or a gateway allowed to write it (an inbound topic,
 * optionally `<gateway>/<system>`). The broker's ACLs already refuse the write of a wrong
 * principal; this is the consumer's own check, so a forged event that gets onto a topic anyway (a
 * misconfigured ACL, a replayed copy) is dead-lettered with the reason instead of applied.
 * Topics outside the registry (a test's own topic) and DLQs (copies keep their original source)
 * are not checked.
 *
 * Returns the reason to dead-letter the message, or null when its source may publish there.
 */
export function sourceCheckFailure(message: Pick<RawMessage, 'topic'>, source: string): string | null {
  const refusal = sourceRefusal(message.topic, source);
  return refusal ? `forged source: ${refusal}` : null;
}
