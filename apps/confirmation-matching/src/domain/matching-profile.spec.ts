import { DomainError } from '@postrade/kernel';
import { defaultProfile, selectProfile, validateProfile, validateRules, type MatchingProfile } from './matching-profile';
import { appliesAt } from './profile-change';

const profile = (name: string, assigned: Partial<MatchingProfile> = {}): MatchingProfile => ({ ...defaultProfile(), name, ...assigned });

describe('matching profile selection', () => {
  const profiles = [profile('DEFAULT'), profile('EUR-DESK', { currencies: ['EUR'] }), profile('BROKER-A', { counterparties: ['5493001KJTIIGC8Y1R12'] })];

  it("prefers the counterparty's profile over its currency's", () => {
    expect(selectProfile(profiles, '5493001KJTIIGC8Y1R12', 'EUR').name).toBe('BROKER-A');
  });

  it("uses the currency's profile when the counterparty has none", () => {
    expect(selectProfile(profiles, '7LTWFZYICNSX8D621K86', 'EUR').name).toBe('EUR-DESK');
  });

  it('falls back to the default profile', () => {
    expect(selectProfile(profiles, '7LTWFZYICNSX8D621K86', 'USD').name).toBe('DEFAULT');
    expect(selectProfile([], '7LTWFZYICNSX8D621K86', 'USD')).toEqual(defaultProfile());
  });
});

describe('profile rules', () => {
  const fieldsRejected = (rules: unknown[]): string[] => {
    try {
      validateRules(rules as never);
      return [];
    } catch (err) {
      return (err as DomainError).errors.map((e) => e.field);
    }
  };

  it('accepts the default profile', () => {
    expect(fieldsRejected(defaultProfile().rules)).toEqual([]);
  });

  it('names each rule that lacks what it needs', () => {
    expect(
      fieldsRejected([
        { field: 'price', rule: 'PERCENT' },
        { field: 'netAmount', rule: 'PERCENT_CAPPED', tolerance: '1' },
        { field: 'settlementDate', rule: 'ABSOLUTE', tolerance: '1' },
        { field: 'trader', rule: 'EXACT' },
        { field: 'grossAmount', rule: 'EXACT', tolerance: '-1' },
      ]),
    ).toEqual(['rules[0].tolerance', 'rules[1].cap', 'rules[2].rule', 'rules[3].field', 'rules[4].tolerance']);
  });
});

describe('profile policy: a profile that would match or affirm everything is refused', () => {
  const refused = (rules: unknown[], autoAffirm: boolean): string[] => {
    try {
      validateProfile({ rules: rules as never, autoAffirm });
      return [];
    } catch (err) {
      return (err as DomainError).errors.map((e) => e.field);
    }
  };

  it('accepts the default profile and a manual profile comparing one field', () => {
    expect(refused(defaultProfile().rules, true)).toEqual([]);
    expect(refused([{ field: 'settlementDate', rule: 'EXACT' }], false)).toEqual([]);
    expect(refused([{ field: 'netAmount', rule: 'PERCENT_CAPPED', tolerance: '99.99', cap: '5' }], true)).toEqual([]);
  });

  it('refuses a profile without rules', () => {
    expect(refused([], false)).toEqual(['rules']);
  });

  it('refuses a profile whose every rule is IGNORE', () => {
    expect(refused([{ field: 'price', rule: 'IGNORE' }, { field: 'netAmount', rule: 'IGNORE' }], false)).toEqual(['rules']);
  });

  it('refuses a percentage tolerance of 100 or more, which accepts every value', () => {
    expect(refused([{ field: 'settlementDate', rule: 'EXACT' }, { field: 'price', rule: 'PERCENT', tolerance: '100' }], false)).toEqual(['rules[1].tolerance']);
    expect(refused([{ field: 'netAmount', rule: 'PERCENT_CAPPED', tolerance: '250', cap: '1' }], false)).toEqual(['rules[0].tolerance']);
  });

  it('refuses an auto-affirming profile that compares neither price nor net amount', () => {
    expect(refused([{ field: 'settlementDate', rule: 'EXACT' }, { field: 'fees', rule: 'EXACT' }, { field: 'price', rule: 'IGNORE' }], true)).toEqual(['autoAffirm']);
    expect(refused([{ field: 'settlementDate', rule: 'EXACT' }, { field: 'fees', rule: 'EXACT' }], false)).toEqual([]);
  });
});

describe('profile change dates', () => {
  it('applies a change without a date, or with one reached, at approval; a future one waits', () => {
    const at = new Date('2026-12-07T12:00:00Z');
    expect(appliesAt({ effectiveFrom: null }, at)).toBe(true);
    expect(appliesAt({ effectiveFrom: '2026-12-07T12:00:00.000Z' }, at)).toBe(true);
    expect(appliesAt({ effectiveFrom: '2026-12-07T12:00:00.001Z' }, at)).toBe(false);
  });
});
