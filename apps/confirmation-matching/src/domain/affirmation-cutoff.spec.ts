import { cutoffStatus } from './affirmation-cutoff';

describe('the same-day affirmation cutoff (SEC 15c6-2)', () => {
  // 9 pm New York on 2026-11-23 (EST) is 02:00 UTC the next day.
  const cutoff = '2026-11-24T02:00:00.000Z';
  const before = new Date('2026-11-24T01:59:59.999Z');
  const after = new Date('2026-11-24T02:00:00.001Z');

  it('is AT_RISK while a trade is not affirmed and the cutoff is ahead, MISSED once it passed', () => {
    for (const status of ['UNMATCHED', 'MISMATCHED', 'MATCHED'] as const) {
      expect(cutoffStatus({ status, updatedAt: '2026-11-23T15:00:00.000Z', affirmationCutoff: cutoff }, before)).toBe('AT_RISK');
      expect(cutoffStatus({ status, updatedAt: '2026-11-23T15:00:00.000Z', affirmationCutoff: cutoff }, after)).toBe('MISSED');
    }
  });

  it('is MET for a trade affirmed by the cutoff (inclusive) and MISSED for one affirmed after it', () => {
    expect(cutoffStatus({ status: 'AFFIRMED', updatedAt: cutoff, affirmationCutoff: cutoff }, after)).toBe('MET');
    expect(cutoffStatus({ status: 'AFFIRMED', updatedAt: after.toISOString(), affirmationCutoff: cutoff }, after)).toBe('MISSED');
  });

  it('has nothing to say for a trade without a cutoff or a cancelled one', () => {
    expect(cutoffStatus({ status: 'UNMATCHED', updatedAt: cutoff, affirmationCutoff: null }, before)).toBeNull();
    expect(cutoffStatus({ status: 'CANCELLED', updatedAt: cutoff, affirmationCutoff: cutoff }, before)).toBeNull();
  });
});
