import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendToChain } from '@postrade/kernel';
import { auditChain, type AuditContent, type AuditEntry, type AuditRecord } from './audit-chain';
import type { AuditTrailRepository } from './audit-trail.repository';

/** How many chains the REST actions spread over: two actions on different trades rarely share a head. */
const API_CHAINS = 8;

/** The chain of an action that names none: `api:<n>`, n a stable hash of the entity it is about. */
export function apiChainOf(entityId: string): string {
  return `api:${createHash('sha256').update(entityId).digest().readUInt32BE(0) % API_CHAINS}`;
}

/**
 * The chain each open transaction appends to when a call names none: the one it appended to first.
 * A transaction that picked a second head by entity could wait for another that holds them in the
 * opposite order; holding one chain per transaction, it never does.
 */
const transactionChains = new WeakMap<EntityManager, string>();

/**
 * Appends to the hash-chained audit trail inside the caller's transaction. Use cases call it last,
 * after their other locks, since it locks the head of the chain it appends to until commit.
 *
 * The trail is many chains, so that appends do not all take turns on one row: a consumer passes
 * its partition's chain (`partitionName(message)`, `<topic>:<partition>`), a REST action passes
 * none and lands on `api:<n>` by the first entry's entity.
 */
export class AuditTrail {
  constructor(
    private readonly records: AuditTrailRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(em: EntityManager, entries: readonly AuditEntry[], chain?: string): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const chosen = chain ?? transactionChains.get(em) ?? apiChainOf(entries[0].entityId);
    if (em.queryRunner?.isTransactionActive && !transactionChains.has(em)) transactionChains.set(em, chosen);
    const head = await this.records.lockChain(em, chosen);
    // Drawn after the head is locked, so that within a chain the global order follows the chain.
    const sequences = await this.records.nextSequences(em, entries.length);
    const recordedAt = this.now().toISOString();
    const contents: AuditContent[] = entries.map((entry, i) => ({ ...entry, recordId: randomUUID(), sequence: sequences[i], recordedAt }));
    const appended = appendToChain(auditChain, head, contents);
    await this.records.append(em, appended.records, appended.head);
    return appended.records;
  }
}
