import { DomainError } from '@postrade/kernel';
import { counterpartyFingerprint, decideReview, entryFingerprint, removalOf, stillCovers, type SanctionsFalsePositive } from './sanctions-reviews';

const entry = { id: 'E-1', name: 'ORIENT STAR SHIPPING', aliases: ['OSS', 'ORIENT STAR'], program: 'SDGT', country: 'IR' };
const counterparty = { name: 'Orient Star Shipping Ltd', aliases: ['Orient Star'] };
const decision = (overrides: Partial<SanctionsFalsePositive> = {}): SanctionsFalsePositive => ({
  falsePositiveId: 'fp-1',
  counterpartyLei: 'LEI',
  source: 'OFAC-SDN',
  entryId: 'E-1',
  listVersion: 'v1',
  counterpartyFingerprint: counterpartyFingerprint(counterparty),
  entryFingerprint: entryFingerprint(entry),
  reason: 'different company, other country',
  proposedBy: 'ops',
  proposedAt: '2026-12-01T00:00:00.000Z',
  status: 'APPROVED',
  decidedBy: 'supervisor',
  decidedAt: '2026-12-01T00:01:00.000Z',
  ...overrides,
});

describe('false-positive decisions', () => {
  it('cover the pair while the counterparty names and the entry are unchanged (alias order aside)', () => {
    expect(stillCovers(decision(), { ...counterparty }, { ...entry, aliases: ['ORIENT STAR', 'OSS'] })).toBe(true);
  });

  it('no longer cover it when the counterparty names or the entry change, or before approval', () => {
    expect(stillCovers(decision(), { ...counterparty, name: 'Orient Star Shipping Co' }, entry)).toBe(false);
    expect(stillCovers(decision(), { ...counterparty, aliases: [] }, entry)).toBe(false);
    expect(stillCovers(decision(), counterparty, { ...entry, aliases: [...entry.aliases, 'OS SHIPPING'] })).toBe(false);
    expect(stillCovers(decision(), counterparty, { ...entry, program: 'IRAN' })).toBe(false);
    expect(stillCovers(decision({ status: 'PENDING' }), counterparty, entry)).toBe(false);
  });

  it('are approved by a second person only, and decided once', () => {
    const pending = decision({ status: 'PENDING', decidedBy: null, decidedAt: null });
    expect(() => decideReview(pending, 'it', 'APPROVED', 'ops', 'now')).toThrow(DomainError);
    expect(decideReview(pending, 'it', 'APPROVED', 'supervisor', 'now')).toMatchObject({ status: 'APPROVED', decidedBy: 'supervisor' });
    expect(() => decideReview(decision(), 'it', 'DECLINED', 'supervisor', 'now')).toThrow(/already APPROVED/);
  });
});

describe('list loads that remove entries', () => {
  const next = (...ids: string[]) => ids.map((id) => ({ ...entry, id }));
  const current = Array.from({ length: 20 }, (_, i) => `E-${i}`);

  it('need approval when they remove more than the share, an empty list included', () => {
    expect(removalOf(current, next(...current.slice(2)), 0.1)).toEqual({ removed: 2, needsApproval: false });
    expect(removalOf(current, next(...current.slice(3)), 0.1)).toEqual({ removed: 3, needsApproval: true });
    expect(removalOf(current, [], 0.1)).toEqual({ removed: 20, needsApproval: true });
  });

  it('do not when nothing is loaded yet, or when entries are only added', () => {
    expect(removalOf([], [], 0.1)).toEqual({ removed: 0, needsApproval: false });
    expect(removalOf(current, next(...current, 'NEW'), 0)).toEqual({ removed: 0, needsApproval: false });
  });
});
