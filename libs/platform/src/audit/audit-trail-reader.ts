import type { AnchorCheck, ChainAnchor } from '@postrade/kernel';

/**
 * What the audit API reads a service's trail through. Declared here rather than imported, since
 * platform sits beside persistence and never imports it: persistence's `AuditQueries` fits it as it
 * is, and a service binds one to the other:
 * `{ provide: AUDIT_TRAIL_READER, useExisting: AuditQueries }`.
 */
export const AUDIT_TRAIL_READER = Symbol('AUDIT_TRAIL_READER');

/** One record of a trail as the API shows it: the entry, its place in the global order and in its chain, and its hashes. */
export interface AuditTrailRecord {
  recordId: string;
  /** The trail's global order: listing, export, and the cursor of a page. */
  sequence: number;
  recordedAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  chain: string;
  previousHash: string;
  hash: string;
}

/** A period by when records were recorded: a date (whole day, inclusive) or an ISO 8601 instant (`to` exclusive). */
export interface AuditTrailPeriod {
  from?: string;
  to?: string;
}

/** What verifying every chain found: `firstBadRecordId` names the earliest record edited, removed (the one after it) or inserted. */
export interface AuditTrailVerification {
  ok: boolean;
  recordsChecked: number;
  firstBadRecordId: string | null;
  /** The comparison with the latest anchor on `audit.anchors.v1`, for a trail that is anchored (docs/anchors.md). */
  anchor?: AnchorCheck;
}

/** Every record of a period, with chains and hashes, so that it can be checked chain by chain on its own. */
export interface AuditTrailExport {
  from: string | null;
  to: string | null;
  exportedAt: string;
  records: AuditTrailRecord[];
}

/** Reading, verifying and exporting one service's trail (persistence's `AuditQueries` has exactly these methods). */
export interface AuditTrailReader {
  /** Up to `limit` records in `sequence` order, after `afterSequence`. */
  list(filter: AuditTrailPeriod & { entityId?: string; afterSequence?: number; limit: number }): Promise<AuditTrailRecord[]>;
  verify(): Promise<AuditTrailVerification>;
  /** Publishes the chain heads now, signed (an anchored trail: messaging's `AnchoredAuditTrail`). */
  anchor?(): Promise<ChainAnchor>;
  export(period: AuditTrailPeriod): Promise<AuditTrailExport>;
}
