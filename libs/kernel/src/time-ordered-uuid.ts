import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits. Ids drawn
 * one after another sort in the order they were drawn (to the millisecond), so a primary key of
 * them grows at its right edge like a serial: each insert touches the same few index pages, where
 * a random (version 4) id touches a random page of an index that may be larger than memory.
 */
export function timeOrderedUuid(now: number = Date.now()): string {
  // The random part of a version 4 UUID (its variant bits are those of version 7 too).
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
