import { DomainError } from '@postrade/kernel';
import { defaultProfile, selectProfile, validateRules, type MatchingProfile } from './matching-profile';

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
