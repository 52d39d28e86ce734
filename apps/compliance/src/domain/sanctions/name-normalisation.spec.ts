import { nameParts, normalisedName, phoneticKey, wordClass } from './name-normalisation';

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

describe('spelling keys and word classes', () => {
  it('give transliterations of one name the same or a close key', () => {
    expect(phoneticKey('HEZBOLLAH')).toBe('HISBULAH');
    expect(phoneticKey('HIZBALLAH')).toBe('HISBALAH');
    expect(phoneticKey('MOHAMMED')).toBe(phoneticKey('MUHAMMID'));
    expect(phoneticKey('KHALED')).toBe(phoneticKey('HALED'));
    expect(phoneticKey('PHARMA')).toBe(phoneticKey('FARMA'));
    expect(phoneticKey('QASIM')).toBe(phoneticKey('KASIM'));
    expect(phoneticKey('YOUSSEF')).toBe(phoneticKey('YUSEF'));
  });

  it('writes Cyrillic and Greek names in Latin letters', () => {
    expect(nameParts('Владимир Путин')).toEqual(['VLADIMIR', 'PUTIN']);
    expect(nameParts('ООО Газпром Экспорт')).toEqual(['GAZPROM', 'EKSPORT']);
    expect(nameParts('Νικόλαος')).toEqual(['NIKOLAOS']);
  });

  it('drop more legal forms, and near-spellings of them, but keep business words', () => {
    expect(nameParts('Sima General Trading Co FZE')).toEqual(['SIMA', 'GENERAL', 'TRADING']);
    expect(nameParts('Kanilai Farms Limitd')).toEqual(['KANILAI', 'FARMS']);
    expect(wordClass('TRADING')).toBe('business');
    expect(wordClass('HOLDNGS')).toBe('business');
    expect(wordClass('COMPONY')).toBe('noise');
    expect(wordClass('SIEMENS')).toBe('name');
  });
});
