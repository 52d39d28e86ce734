import { sha256OfCanonicalJson, type Chained, type HashChainRule } from '@postrade/kernel';

/**
 * The previous hash of the first record of every chain: 64 zeros, as since the trail's first
 * release in compliance (records stored then verify only from this value).
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** One entry of the audit trail: who did what to which entity, when, with the state before and after. */
export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** What a record's hash covers besides its predecessor: the entry, its id, its place in the trail's global order and when. */
export interface AuditContent extends AuditEntry {
  recordId: string;
  /** The trail's global order (listing and export), drawn when the record is appended. */
  sequence: number;
  recordedAt: string;
}

/** A stored record: its content and its place in its chain (`chain`, `chainSequence`, `previousHash`, `hash`). */
export type AuditRecord = Chained<AuditContent, string>;

/**
 * sha256 over the canonical JSON (keys sorted, decimals by value) of the record, previous hash
 * included. The fields are those hashed since the trail's first release (its chain and position
 * are not), so records stored when the trail had one chain still verify.
 */
export function auditHash(content: AuditContent, previousHash: string): string {
  const { recordId, sequence, recordedAt, actor, action, entityType, entityId, before, after } = content;
  return sha256OfCanonicalJson({ recordId, sequence, recordedAt, actor, action, entityType, entityId, before, after, previousHash });
}

/** The audit trail's chains: each starts from 64 zeros. */
export const auditChain: HashChainRule<AuditContent, string> = { genesis: AUDIT_GENESIS_HASH, hash: auditHash };
