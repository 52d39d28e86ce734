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

/**
 * A recorded period of an ISIN on one list: the lists keep every period (history is never
 * overwritten). `lifted` takes the ISIN off that list from `from` (a removal).
 */
export interface RestrictionPeriod extends RestrictedListEntry {
  lifted: boolean;
}

/**
 * The entries of one ISIN in force on `date`, at most one per kind: for each kind, the
 * latest-recorded period covering the date, unless that period is a removal. `periods` are in the
 * order they were recorded.
 */
export function entriesInForceOn(periods: readonly RestrictionPeriod[], date: string): RestrictedListEntry[] {
  const latest = new Map<RestrictionKind, RestrictionPeriod>();
  for (const period of periods) if (isInForceOn(period, date)) latest.set(period.kind, period);
  return RESTRICTION_KINDS.flatMap((kind) => {
    const period = latest.get(kind);
    return period && !period.lifted ? [{ isin: period.isin, kind: period.kind, from: period.from, to: period.to, reason: period.reason }] : [];
  });
}

/**
 * What is on the lists for the ISIN, as a change's "before": the entry in force `today`, else the
 * first one in force on a later date, else the latest-recorded period (one that has ended), or null.
 */
export function currentOrNextEntry(periods: readonly RestrictionPeriod[], today: string): RestrictedListEntry | null {
  const now = entriesInForceOn(periods, today);
  if (now.length > 0) return now[0];
  const later = periods
    .filter((p) => !p.lifted && LocalDate.compare(p.from, today) > 0)
    .sort((a, b) => LocalDate.compare(a.from, b.from))
    .find((p) => entriesInForceOn(periods, p.from).some((e) => e.kind === p.kind));
  if (later) return entriesInForceOn(periods, later.from).find((e) => e.kind === later.kind)!;
  const last = [...periods].reverse().find((p) => !p.lifted);
  return last ? { isin: last.isin, kind: last.kind, from: last.from, to: last.to, reason: last.reason } : null;
}
