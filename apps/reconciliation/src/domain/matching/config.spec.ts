import { DomainError } from '@postrade/kernel';
import {
  amountsAgree,
  amountTolerance,
  DEFAULT_RECONCILIATION_CONFIG,
  parseReconciliationConfig,
  reconciliationConfigToJson,
  TRADE_FIELDS,
} from './config';
import { d } from './matching-fixtures';

/** The field paths a DomainError names, to assert on without depending on message wording. */
function failedPaths(json: unknown): string[] {
  try {
    parseReconciliationConfig(json);
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the reconciliation configuration', () => {
  it('defaults to DOMAIN.md: positions and quantities exact, amounts at the matching tolerance, penalties 0.01, every trade field', () => {
    expect(reconciliationConfigToJson(DEFAULT_RECONCILIATION_CONFIG)).toEqual({
      POSITION: { quantity: '0' },
      CASH: { amount: { kind: 'MATCHING' } },
      TRANSACTION: { quantity: '0', amount: { kind: 'MATCHING' }, settlementDateBusinessDays: 0, keys: ['INSTRUCTION_ID', 'ATTRIBUTES'] },
      PENALTY: { amount: { kind: 'ABSOLUTE', value: '0.01' } },
      TRADE: { quantity: '0', price: '0', fields: [...TRADE_FIELDS] },
    });
  });

  it('is the defaults when nothing is stored', () => {
    for (const nothing of [undefined, null, {}]) {
      expect(reconciliationConfigToJson(parseReconciliationConfig(nothing))).toEqual(reconciliationConfigToJson(DEFAULT_RECONCILIATION_CONFIG));
    }
  });

  it('lays what is stored over the defaults, setting by setting', () => {
    const config = parseReconciliationConfig({
      TRANSACTION: { settlementDateBusinessDays: 2, amount: { kind: 'ABSOLUTE', value: '0.50' } },
      TRADE: { fields: ['isin', 'quantity'], price: '0.0001' },
    });
    expect(config.TRANSACTION.settlementDateBusinessDays).toBe(2);
    expect(config.TRANSACTION.amount).toEqual({ kind: 'ABSOLUTE', value: d('0.5') });
    expect(config.TRANSACTION.quantity.toFixed()).toBe('0');
    expect(config.TRANSACTION.keys).toEqual(['INSTRUCTION_ID', 'ATTRIBUTES']);
    expect(config.TRADE.fields).toEqual(['isin', 'quantity']);
    expect(config.TRADE.price.toFixed()).toBe('0.0001');
    expect(config.PENALTY.amount).toEqual({ kind: 'ABSOLUTE', value: d('0.01') });
    expect(config.CASH.amount).toEqual({ kind: 'MATCHING' });
  });

  it('reads back what it writes', () => {
    const json = {
      POSITION: { quantity: '1' },
      CASH: { amount: { kind: 'ABSOLUTE', value: '0.01' } },
      TRANSACTION: { quantity: '0.5', amount: { kind: 'MATCHING' }, settlementDateBusinessDays: 3, keys: ['ATTRIBUTES', 'INSTRUCTION_ID'] },
      PENALTY: { amount: { kind: 'MATCHING' } },
      TRADE: { quantity: '0', price: '0.01', fields: ['side', 'price'] },
    };
    expect(reconciliationConfigToJson(parseReconciliationConfig(json))).toEqual(json);
  });

  it('keeps the defaults frozen, so that no parsed configuration can change them for the next', () => {
    const config = parseReconciliationConfig({});
    expect(Object.isFrozen(DEFAULT_RECONCILIATION_CONFIG)).toBe(true);
    expect(() => (config.TRANSACTION.keys as string[]).push('ATTRIBUTES')).toThrow(TypeError);
    expect(() => ((config.TRADE.fields as string[]).length = 0)).toThrow(TypeError);
    expect(DEFAULT_RECONCILIATION_CONFIG.TRADE.fields).toHaveLength(6);
  });

  it.each([
    [{ TRANSACTION: { settlementDateBusinessDays: -1 } }, 'TRANSACTION.settlementDateBusinessDays'],
    [{ TRANSACTION: { settlementDateBusinessDays: 1.5 } }, 'TRANSACTION.settlementDateBusinessDays'],
    [{ TRANSACTION: { settlementDateBusinessDays: '1' } }, 'TRANSACTION.settlementDateBusinessDays'],
    [{ TRANSACTION: { settlementDateBusinessDays: 31 } }, 'TRANSACTION.settlementDateBusinessDays'],
    [{ POSITION: { quantity: 1 } }, 'POSITION.quantity'],
    [{ POSITION: { quantity: '-1' } }, 'POSITION.quantity'],
    [{ POSITION: { quantity: '1e3' } }, 'POSITION.quantity'],
    [{ POSITION: { quantity: '1'.repeat(40) } }, 'POSITION.quantity'],
    [{ CASH: { amount: 'MATCHING' } }, 'CASH.amount'],
    [{ CASH: { amount: { kind: 'PERCENT' } } }, 'CASH.amount.kind'],
    [{ CASH: { amount: { kind: 'ABSOLUTE' } } }, 'CASH.amount.value'],
    [{ CASH: { amount: { kind: 'ABSOLUTE', value: 0.01 } } }, 'CASH.amount.value'],
    [{ CASH: { amount: { kind: 'MATCHING', value: '1' } } }, 'CASH.amount'],
    [{ TRANSACTION: { keys: [] } }, 'TRANSACTION.keys'],
    [{ TRANSACTION: { keys: 'ATTRIBUTES' } }, 'TRANSACTION.keys'],
    [{ TRANSACTION: { keys: ['ATTRIBUTES', 'ATTRIBUTES'] } }, 'TRANSACTION.keys[1]'],
    [{ TRANSACTION: { keys: ['INSTRUCTION_ID', 'ISIN'] } }, 'TRANSACTION.keys[1]'],
    [{ TRADE: { fields: ['isin', 'book'] } }, 'TRADE.fields[1]'],
    [{ TRADE: { tolerance: '1' } }, 'TRADE.tolerance'],
    [{ PENALTY: 0.01 }, 'PENALTY'],
    [{ LEDGER: {} }, 'LEDGER'],
  ])('refuses %j, naming %s', (json, path) => {
    expect(failedPaths(json)).toEqual([path]);
  });

  it('reports every problem at once', () => {
    expect(failedPaths({ POSITION: { quantity: '-1' }, TRANSACTION: { settlementDateBusinessDays: -2, keys: [] } })).toEqual([
      'POSITION.quantity',
      'TRANSACTION.settlementDateBusinessDays',
      'TRANSACTION.keys',
    ]);
  });

  it('refuses something that is not an object', () => {
    expect(() => parseReconciliationConfig([])).toThrow(DomainError);
    expect(() => parseReconciliationConfig('{}')).toThrow(DomainError);
  });

  it('accepts an empty list of trade fields: the blotter is then checked for missing trades only', () => {
    expect(parseReconciliationConfig({ TRADE: { fields: [] } }).TRADE.fields).toEqual([]);
  });
});

describe('an amount rule', () => {
  it('MATCHING takes the tier of the basis amount; ABSOLUTE its own value', () => {
    expect(amountTolerance({ kind: 'MATCHING' }, d('100000')).toFixed()).toBe('2');
    expect(amountTolerance({ kind: 'MATCHING' }, d('100000.01')).toFixed()).toBe('25');
    expect(amountTolerance({ kind: 'ABSOLUTE', value: d('0.01') }, d('100000000')).toFixed()).toBe('0.01');
  });

  it('chooses the MATCHING tier on our amount unless told otherwise', () => {
    expect(amountsAgree({ kind: 'MATCHING' }, d('100000'), d('100002'))).toBe(true);
    expect(amountsAgree({ kind: 'MATCHING' }, d('100000'), d('100002.01'))).toBe(false);
    expect(amountsAgree({ kind: 'MATCHING' }, d('100000'), d('100002.01'), d('100002.01'))).toBe(true);
  });
});
