import { createHash } from 'node:crypto';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry of the audit trail: who did what to which entity, when, with the state before and after. */
export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  recordId: string;
  sequence: number;
  recordedAt: string;
  previousHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const fields = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${fields.join(',')}}`;
}

/** sha256 over the canonical record (everything but its own hash), which includes the previous hash. */
export function auditHash(record: Omit<AuditRecord, 'hash'>): string {
  const { recordId, sequence, recordedAt, actor, action, entityType, entityId, before, after, previousHash } = record;
  const canonical = canonicalJson({ recordId, sequence, recordedAt, actor, action, entityType, entityId, before, after, previousHash });
  return createHash('sha256').update(canonical).digest('hex');
}

export function chainedRecord(entry: AuditEntry, link: { recordId: string; sequence: number; recordedAt: string; previousHash: string }): AuditRecord {
  const unsigned = { ...entry, ...link };
  return { ...unsigned, hash: auditHash(unsigned) };
}

/**
 * Walks records in sequence order from the record after `previousHash`: the first record whose
 * link or own hash does not fit, or null. Stateful so that a long trail is checked page by page.
 */
export class AuditChainVerifier {
  private expectedPrevious = GENESIS_HASH;
  private expectedSequence = 1;
  checked = 0;

  /** The id of the first bad record in this page, or null when all fit. */
  accept(records: readonly AuditRecord[]): string | null {
    for (const record of records) {
      this.checked++;
      if (record.sequence !== this.expectedSequence || record.previousHash !== this.expectedPrevious || auditHash(record) !== record.hash) {
        return record.recordId;
      }
      this.expectedPrevious = record.hash;
      this.expectedSequence++;
    }
    return null;
  }
}
