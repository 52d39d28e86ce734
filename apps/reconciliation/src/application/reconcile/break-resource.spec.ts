import { ageOf, closedOnAt } from './break-resource';

describe("a break's days are its account's market's business days, never UTC's", () => {
  it("closes a Tokyo account's break on Tokyo's date at 23:30 UTC: already tomorrow there", () => {
    expect(closedOnAt({ market: 'JP' }, new Date('2026-12-07T23:30:00Z'))).toBe('2026-12-08');
  });

  it("closes a New York account's break on New York's date at 01:00 UTC: still yesterday there", () => {
    expect(closedOnAt({ market: 'US' }, new Date('2026-12-08T01:00:00Z'))).toBe('2026-12-07');
  });

  it('ages a live break up to the market today: a Tokyo break first seen Monday is a day old at 23:30 UTC on Monday', () => {
    const monday = { firstSeen: '2026-12-07', closedOn: null };
    expect(ageOf({ ...monday, market: 'JP' }, new Date('2026-12-07T23:30:00Z'))).toBe(1);
    expect(ageOf({ ...monday, market: 'US' }, new Date('2026-12-07T23:30:00Z'))).toBe(0);
  });
});
