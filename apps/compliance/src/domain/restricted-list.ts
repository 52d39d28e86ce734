import { DomainError, LocalDate } from '@postrade/kernel';

export const RESTRICTION_KINDS = ['RESTRICTED', 'WATCH'] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

/**
 * An ISIN on the restricted list (trading it holds the trade) or the watch list (an alert only),
 * from one date to another, both inclusive; `to` null means until further notice.
 */
export interface RestrictedListEntry {
  isin: string;
  kind: RestrictionKind;
  from: string;
  to: string | null;
  reason: string;
}

export function restrictedListEntry(entry: RestrictedListEntry): RestrictedListEntry {
  if (entry.to !== null && LocalDate.compare(entry.to, entry.from) < 0) throw DomainError.invalid('to', `must not be before from (${entry.from})`);
  return entry;
}

/** True when the entry is in force on `date`. */
export function isInForceOn(entry: RestrictedListEntry, date: string): boolean {
  return LocalDate.compare(entry.from, date) <= 0 && (entry.to === null || LocalDate.compare(date, entry.to) <= 0);
}
