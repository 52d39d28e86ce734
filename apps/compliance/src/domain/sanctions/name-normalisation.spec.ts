import { nameParts, normalisedName } from './name-normalisation';

describe('name normalisation', () => {
  it('strips diacritics, upper-cases and turns punctuation and hyphens into spaces', () => {
    expect(normalisedName('Société Générale-Banque, S.A.')).toBe('SOCIETE GENERALE BANQUE');
  });

  it('drops legal forms and filler words', () => {
    expect(nameParts('The Bank of Example Holdings Co., Ltd.')).toEqual(['BANK', 'EXAMPLE', 'HOLDINGS']);
  });

  it('keeps the words of a name made only of legal forms, so that it still equals itself', () => {
    expect(nameParts('Company Limited')).toEqual(['COMPANY', 'LIMITED']);
  });
});
