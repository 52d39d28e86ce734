import { AuditChainVerifier, canonicalJson, chainedRecord, GENESIS_HASH, type AuditRecord } from './audit-chain';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previousHash = GENESIS_HASH;
  for (let i = 1; i <= length; i++) {
    const record = chainedRecord(
      { actor: 'dev-ops', action: 'decision.held', entityType: 'trade', entityId: `T-${i}`, before: null, after: { outcome: 'HELD', amount: '100.00' } },
      { recordId: `R-${i}`, sequence: i, recordedAt: '2026-11-20T10:00:00.000Z', previousHash },
    );
    records.push(record);
    previousHash = record.hash;
  }
  return records;
}

describe('audit chain', () => {
  it('writes JSON with sorted keys, so that key order does not change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('verifies an untouched chain', () => {
    const verifier = new AuditChainVerifier();
    expect(verifier.accept(chain(5))).toBeNull();
    expect(verifier.checked).toBe(5);
  });

  it('names the first record whose content was edited', () => {
    const records = chain(5);
    records[2] = { ...records[2], actor: 'mallory' };
    expect(new AuditChainVerifier().accept(records)).toBe('R-3');
  });

  it('names the record after one that was removed, and one re-hashed without its successors', () => {
    const records = chain(5);
    expect(new AuditChainVerifier().accept([...records.slice(0, 2), ...records.slice(3)])).toBe('R-4');
    const rehashed = chainedRecord({ ...records[1], actor: 'mallory' }, { recordId: 'R-2', sequence: 2, recordedAt: records[1].recordedAt, previousHash: records[0].hash });
    expect(new AuditChainVerifier().accept([records[0], rehashed, ...records.slice(2)])).toBe('R-3');
  });

  it('checks a long chain page by page', () => {
    const records = chain(6);
    const verifier = new AuditChainVerifier();
    expect(verifier.accept(records.slice(0, 3))).toBeNull();
    expect(verifier.accept(records.slice(3))).toBeNull();
    expect(verifier.checked).toBe(6);
  });
});
