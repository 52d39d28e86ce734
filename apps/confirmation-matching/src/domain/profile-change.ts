import type { ProfileDefinition } from './matching-profile';

/**
 * A change to a matching profile, maker-checker: PENDING until someone other than its proposer
 * approves it (then APPLIED, or SCHEDULED until its `effectiveFrom`, then APPLIED) or anyone
 * declines it (a SCHEDULED change can be declined too, before it applies). A profile has at most
 * one open (PENDING or SCHEDULED) change.
 */
export const PROFILE_CHANGE_STATUSES = ['PENDING', 'SCHEDULED', 'APPLIED', 'DECLINED'] as const;
export type ProfileChangeStatus = (typeof PROFILE_CHANGE_STATUSES)[number];

export interface ProfileChange {
  changeId: string;
  /** The profile's name. */
  profile: string;
  /** The profile as it will stand once applied (its revision is the store's). */
  proposed: Omit<ProfileDefinition, 'name'>;
  /** The profile's revision when proposed; null for a new profile. Approval refuses a change proposed on another revision. */
  baseRevision: number | null;
  /** When the change applies; null: as soon as it is approved. */
  effectiveFrom: string | null;
  reason: string | null;
  status: ProfileChangeStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  appliedAt: string | null;
  /** The profile's revision this change made; null until applied. */
  appliedRevision: number | null;
}

/** Whether a change approved at `at` applies at once (no date, or one already reached) or waits. */
export function appliesAt(change: Pick<ProfileChange, 'effectiveFrom'>, at: Date): boolean {
  return change.effectiveFrom === null || new Date(change.effectiveFrom).getTime() <= at.getTime();
}
