import { timeOrderedUuid } from './time-ordered-uuid';

describe('time-ordered UUIDs (version 7)', () => {
  it('are UUIDs of version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 100; i++) expect(timeOrderedUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('carry the time in their first 48 bits, so that later ids sort after earlier ones', () => {
    const at = Date.parse('2026-11-30T15:00:00.123Z');
    expect(timeOrderedUuid(at).replace(/-/g, '').slice(0, 12)).toBe(at.toString(16).padStart(12, '0'));
    const ids = [at, at + 1, at + 1_000, at + 86_400_000].map((t) => timeOrderedUuid(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differ when drawn in the same millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(at))).size).toBe(1000);
  });
});
