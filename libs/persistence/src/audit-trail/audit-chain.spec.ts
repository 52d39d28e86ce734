import { appendToChain, emptyChain, HashChainVerifier } from '@postrade/kernel';
import { auditChain, auditHash, AUDIT_GENESIS_HASH, type AuditContent, type AuditRecord } from './audit-chain';

function chain(length: number): AuditRecord[] {
  const contents: AuditContent[] = Array.from({ length }, (_, i) => ({
    actor: 'dev-ops',
    action: 'decision.held',
    entityType: 'trade',
    entityId: `T-${i + 1}`,
    before: null,
    after: { outcome: 'HELD', amount: '100.00' },
    recordId: `R-${i + 1}`,
    sequence: 10 * (i + 1),
    recordedAt: '2026-11-20T10:00:00.000Z',
  }));
  return appendToChain(auditChain, emptyChain(auditChain, 'api:3'), contents).records;
}

function firstBad(records: AuditRecord[]): string | null {
  const verifier = new HashChainVerifier(auditChain, 'api:3');
  for (const record of records) if (!verifier.check(record)) break;
  return verifier.firstBad?.recordId ?? null;
}

describe('audit chain', () => {
  it('hashes a record exactly as the first release did, so records stored before chains were sharded still verify', () => {
    // Hashes computed with the trail's original code, for records as they read back from jsonb.
    const first = auditHash(
      {
        actor: 'dev-supervisor',
        action: 'release-request.proposed',
        entityType: 'trade',
        entityId: 'T-1',
        before: null,
        after: { requestId: 'RR-1', amount: '100.00', status: 'PENDING', nested: { b: 1, a: [true, null] } },
        recordId: '3e0c1d2b-7a6f-4e5d-9c8b-1a2b3c4d5e6f',
        sequence: 1,
        recordedAt: '2026-11-20T10:00:00.000Z',
      },
      AUDIT_GENESIS_HASH,
    );
    expect(first).toBe('c3f0c02ecc1ed143cb1664d720237e1b94bf0432cecbff235ad8559dc1e7c758');
    const second = auditHash(
      {
        actor: 'system:compliance',
        action: 'decision.held',
        entityType: 'trade',
        entityId: 'T-2',
        before: { outcome: 'CLEARED' },
        after: { outcome: 'HELD' },
        recordId: '4f1d2e3c-8b7a-4f6e-8d9c-2b3c4d5e6f70',
        sequence: 2,
        recordedAt: '2026-11-20T10:00:01.000Z',
      },
      first,
    );
    expect(second).toBe('c60d3cdf67f52d1bd23b4bb2f3c9acfffa4a9a7885f97b11c7031e06c963dd2d');
  });

  it('starts every chain from 64 zeros', () => {
    expect(chain(1)[0]).toMatchObject({ chain: 'api:3', chainSequence: 1, previousHash: AUDIT_GENESIS_HASH });
  });

  it('verifies an untouched chain whose global sequence has gaps (other chains drew those numbers)', () => {
    expect(firstBad(chain(5))).toBeNull();
  });

  it('names the first record whose content was edited', () => {
    const records = chain(5);
    records[2] = { ...records[2], actor: 'mallory' };
    expect(firstBad(records)).toBe('R-3');
  });

  it('names the record after one that was removed, and one re-hashed without its successors', () => {
    const records = chain(5);
    expect(firstBad([...records.slice(0, 2), ...records.slice(3)])).toBe('R-4');
    const rehashed = { ...records[1], actor: 'mallory' };
    rehashed.hash = auditHash(rehashed, records[0].hash);
    expect(firstBad([records[0], rehashed, ...records.slice(2)])).toBe('R-3');
  });
});
