import fc from 'fast-check';
import { DomainError } from '@postrade/kernel';
import type { TradeAction, TradeStatus } from '@postrade/contracts';
import { decideVersion, type CurrentVersion, type RecordedVersion } from './trade-lifecycle';

const captured = { version: 1, status: 'CAPTURED' as const };
const amended = { version: 2, status: 'AMENDED' as const };

function conflictCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'conflict') return error.code;
    throw error;
  }
  return undefined;
}

describe('trade version rules', () => {
  it('applies a NEW at version 1 for an unknown trade', () => {
    expect(decideVersion('NEW', 1, 'h1', null, null)).toEqual({ kind: 'apply' });
  });

  it('rejects a NEW that is not version 1', () => {
    expect(() => decideVersion('NEW', 2, 'h1', null, null)).toThrow(/version: must be 1/);
  });

  it('treats the same version with the same content as a replay', () => {
    expect(decideVersion('NEW', 1, 'h1', captured, { version: 1, contentHash: 'h1' })).toEqual({ kind: 'replay' });
    expect(decideVersion('AMEND', 2, 'h2', amended, { version: 2, contentHash: 'h2' })).toEqual({ kind: 'replay' });
  });

  it('rejects the same version with different content as a conflict, whatever the action (an AMEND at version 1 included)', () => {
    expect(conflictCode(() => decideVersion('NEW', 1, 'other', captured, { version: 1, contentHash: 'h1' }))).toBe('version-conflict');
    expect(conflictCode(() => decideVersion('AMEND', 1, 'other', captured, { version: 1, contentHash: 'h1' }))).toBe('version-conflict');
  });

  it('rejects a version below current that was never applied (skipped) as stale', () => {
    expect(conflictCode(() => decideVersion('AMEND', 2, 'h', { version: 3, status: 'AMENDED' }, null))).toBe('stale-version');
  });

  it('applies an AMEND or CANCEL at any version above current: gaps are allowed', () => {
    expect(decideVersion('AMEND', 2, 'h2', captured, null)).toEqual({ kind: 'apply' });
    expect(decideVersion('AMEND', 5, 'h5', captured, null)).toEqual({ kind: 'apply' });
    expect(decideVersion('CANCEL', 9, 'c', amended, null)).toEqual({ kind: 'apply' });
  });

  it('waits with an AMEND or CANCEL whose trade has not been captured', () => {
    expect(decideVersion('AMEND', 2, 'h2', null, null).kind).toBe('wait');
    expect(decideVersion('CANCEL', 7, 'c', null, null).kind).toBe('wait');
  });

  it('refuses an AMEND or CANCEL at version 1 for an unknown trade as invalid', () => {
    expect(() => decideVersion('AMEND', 1, 'h', null, null)).toThrow(/version: must be greater than 1/);
  });

  it('takes no action on a cancelled trade', () => {
    expect(conflictCode(() => decideVersion('AMEND', 3, 'h3', { version: 2, status: 'CANCELLED' }, null))).toBe('trade-cancelled');
  });

  it('answers any re-delivery of an applied version with a replay, however far the trade has moved on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.hexaString({ minLength: 1 }), (version, later, hash) => {
        const action = version === 1 ? 'NEW' : 'AMEND';
        const current = { version: version + later, status: later === 0 ? ('AMENDED' as const) : ('CANCELLED' as const) };
        expect(decideVersion(action, version, hash, current, { version, contentHash: hash })).toEqual({ kind: 'replay' });
      }),
    );
  });

  it('ends at the highest version whatever order AMENDs (and a final CANCEL) above the current version arrive in', () => {
    const reports = fc
      .uniqueArray(fc.integer({ min: 2, max: 40 }), { minLength: 1, maxLength: 12 })
      .chain((versions) => fc.tuple(fc.shuffledSubarray(versions, { minLength: versions.length, maxLength: versions.length }), fc.boolean()));
    fc.assert(
      fc.property(reports, ([arrivals, cancelLast]) => {
        const highest = Math.max(...arrivals);
        const actionOf = (version: number): TradeAction => (cancelLast && version === highest ? 'CANCEL' : 'AMEND');
        let current: CurrentVersion = { version: 1, status: 'CAPTURED' };
        const recorded = new Map<number, RecordedVersion>([[1, { version: 1, contentHash: 'v1' }]]);
        for (const version of arrivals) {
          try {
            const decision = decideVersion(actionOf(version), version, `v${version}`, current, recorded.get(version) ?? null);
            if (decision.kind === 'apply') {
              const status: TradeStatus = actionOf(version) === 'CANCEL' ? 'CANCELLED' : 'AMENDED';
              current = { version, status };
              recorded.set(version, { version, contentHash: `v${version}` });
            }
          } catch (error) {
            // A lower version after a higher one is stale: rejected, never applied over it.
            expect(error).toMatchObject({ kind: 'conflict', code: 'stale-version' });
          }
        }
        expect(current.version).toBe(highest);
        expect(current.status).toBe(cancelLast ? 'CANCELLED' : 'AMENDED');
      }),
    );
  });
});
