import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { chainedRecord, type AuditEntry, type AuditRecord } from '../../domain/audit-chain';
import type { AuditTrailRepository } from '../../persistence/audit-trail.repository';

/**
 * Appends to the hash-chained audit trail inside the caller's transaction. Use cases call it last,
 * after their other locks, since it locks the chain head until commit (appends are serialised).
 */
export class AuditTrail {
  constructor(
    private readonly records: AuditTrailRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(em: EntityManager, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const head = await this.records.lockHead(em);
    const recordedAt = this.now().toISOString();
    let previousHash = head.hash;
    let sequence = head.sequence;
    const chained = entries.map((entry) => {
      const record = chainedRecord(entry, { recordId: randomUUID(), sequence: ++sequence, recordedAt, previousHash });
      previousHash = record.hash;
      return record;
    });
    await this.records.append(em, chained);
    return chained;
  }
}
