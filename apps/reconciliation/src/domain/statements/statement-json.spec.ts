import fc from 'fast-check';
import { parseStatementJson, renderStatementJson } from './statement-json';
import { comparable, fieldErrorsOf, SAMPLE_HOLDINGS, SAMPLE_PENALTIES, SAMPLE_TRANSACTIONS, statementArb } from './statements.fixtures';

const holdings = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ statementId: 'S-1', type: 'HOLDINGS', account: 'SK-1', asOf: '2026-11-25', lines, ...extra });

describe('parseStatementJson', () => {
  it('reads each type exactly as API.md writes it', () => {
    for (const statement of [SAMPLE_HOLDINGS, SAMPLE_TRANSACTIONS, SAMPLE_PENALTIES]) {
      const body = JSON.parse(JSON.stringify(renderStatementJson(statement)));
      expect(comparable(parseStatementJson(body))).toEqual(comparable(statement));
    }
    expect(comparable(parseStatementJson({ statementId: 'C', type: 'CASH', account: 'CA', asOf: '2026-11-25', lines: [{ currency: 'EUR', amount: '-0.01' }] })).lines).toEqual([{ currency: 'EUR', amount: '-0.01' }]);
  });

  it('round-trips every statement through its JSON form', () => {
    fc.assert(fc.property(statementArb, (s) => expect(comparable(parseStatementJson(JSON.parse(JSON.stringify(renderStatementJson(s)))))).toEqual(comparable(s))));
  });

  it('names every bad field by its path, lines[i].field', () => {
    const body = holdings([
      { isin: 'DE0007164600', quantity: '100' },
      { isin: 'DE0007164600 ', quantity: 100 },
      { isin: 'US0378331005', quantity: '1.0000000000001' },
      { isin: 'FR0000131104' },
      { isin: 'NL0000009165', quantity: '5', price: '1' },
      'not a line',
    ]);
    expect(fieldErrorsOf(() => parseStatementJson(body))).toEqual([
      { field: 'lines[1].isin', message: expect.stringMatching(/must be 12 characters/) },
      { field: 'lines[1].quantity', message: expect.stringMatching(/not a JSON number/) },
      { field: 'lines[2].quantity', message: expect.stringMatching(/at most 18 before the decimal point and 12 after/) },
      { field: 'lines[3].quantity', message: 'is required' },
      { field: 'lines[4].price', message: expect.stringMatching(/is not a field of a HOLDINGS line/) },
      { field: 'lines[5]', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it('checks the statement fields: required, typed, no unknown ones', () => {
    expect(fieldErrorsOf(() => parseStatementJson({ statementId: 7, type: 'POSITIONS', asOf: '2026-02-29', lines: {}, source: 'x' }))).toEqual([
      { field: 'source', message: expect.stringMatching(/is not a field of a statement/) },
      { field: 'statementId', message: 'must be a string' },
      { field: 'type', message: expect.stringMatching(/must be one of HOLDINGS, TRANSACTIONS, CASH, PENALTIES/) },
      { field: 'account', message: 'is required' },
      { field: 'asOf', message: expect.stringMatching(/not a real date/) },
      { field: 'lines', message: expect.stringMatching(/must be an array/) },
    ]);
    expect(fieldErrorsOf(() => parseStatementJson([1, 2]))).toEqual([{ field: 'body', message: expect.stringMatching(/must be a JSON object/) }]);
  });

  it('asks for the instruction id of a transaction even when there is none (null)', () => {
    const line = { reference: 'R', isin: 'DE0007164600', quantity: '1', amount: '1', currency: 'EUR', direction: 'RECEIVE', settlementDate: '2026-11-25' };
    const body = { statementId: 'T', type: 'TRANSACTIONS', account: 'A', asOf: '2026-11-25', lines: [line] };
    expect(fieldErrorsOf(() => parseStatementJson(body))).toEqual([{ field: 'lines[0].instructionId', message: 'is required (null when there is none)' }]);
    expect(parseStatementJson({ ...body, lines: [{ ...line, instructionId: null }] }).lines).toMatchObject([{ instructionId: null }]);
  });

  it('refuses a key twice, naming the second line and the first', () => {
    expect(fieldErrorsOf(() => parseStatementJson(holdings([{ isin: 'DE0007164600', quantity: '1' }, { isin: 'US0378331005', quantity: '2' }, { isin: 'DE0007164600', quantity: '3' }])))).toEqual([
      { field: 'lines[2].isin', message: 'ISIN DE0007164600 appears twice in the statement: first at lines[0]' },
    ]);
    const penalty = { instructionId: 'I-1', date: '2026-11-25', amount: '1', currency: 'EUR', direction: 'PAY' };
    const body = { statementId: 'P', type: 'PENALTIES', account: 'A', asOf: '2026-11-26', lines: [penalty, { ...penalty, amount: '2' }] };
    expect(fieldErrorsOf(() => parseStatementJson(body))[0]).toEqual({ field: 'lines[1].instructionId', message: 'a penalty for instruction I-1 on 2026-11-25 appears twice in the statement: first at lines[0]' });
  });

  it('refuses a statement over the line limit before reading its lines', () => {
    const lines = [{ isin: 'DE0007164600', quantity: '1' }, { isin: 'US0378331005', quantity: '2' }];
    expect(parseStatementJson(holdings(lines), { maxLines: 2 }).lines).toHaveLength(2);
    expect(fieldErrorsOf(() => parseStatementJson(holdings(lines), { maxLines: 1 }))).toEqual([{ field: 'lines', message: 'has 2 lines, more than the 1 accepted in one statement' }]);
  });

  it('stops at 100 errors: enough to fix a file, not a megabyte of problem+json', () => {
    const lines = Array.from({ length: 1_000 }, () => ({ isin: 'bad', quantity: 'bad' }));
    expect(fieldErrorsOf(() => parseStatementJson(holdings(lines)))).toHaveLength(100);
  });
});
