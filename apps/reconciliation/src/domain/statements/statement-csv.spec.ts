import fc from 'fast-check';
import { csvStatementId, parseStatementCsv, renderStatementCsv } from './statement-csv';
import { comparable, fieldErrorsOf, SAMPLE_TRANSACTIONS, statementArb } from './statements.fixtures';

const HEADER = { type: 'TRANSACTIONS', account: 'SK-DEUT-0001', asOf: '2026-11-25' };
const TRANSACTIONS_CSV = [
  'reference,instructionId,isin,quantity,amount,currency,direction,settlementDate',
  'C-1,INS-1,DE0007164600,1500,283891.80,EUR,DELIVER,2026-11-25',
  '"C,2",,DE0001102580,500000,0,XXX,RECEIVE,2026-11-25',
].join('\r\n');

describe('parseStatementCsv', () => {
  it('reads each type: header row, one row per line; an empty instruction id is none', () => {
    expect(comparable(parseStatementCsv(TRANSACTIONS_CSV, { ...HEADER, statementId: 'TXP-1' }))).toEqual({
      statementId: 'TXP-1',
      type: 'TRANSACTIONS',
      account: 'SK-DEUT-0001',
      asOf: '2026-11-25',
      lines: [
        { reference: 'C-1', instructionId: 'INS-1', isin: 'DE0007164600', quantity: '1500', amount: '283891.8', currency: 'EUR', direction: 'DELIVER', settlementDate: '2026-11-25' },
        { reference: 'C,2', instructionId: null, isin: 'DE0001102580', quantity: '500000', amount: '0', currency: 'XXX', direction: 'RECEIVE', settlementDate: '2026-11-25' },
      ],
    });
    expect(comparable(parseStatementCsv('isin,quantity\nDE0007164600,24000\nUS0378331005,-150\n', { ...HEADER, type: 'HOLDINGS' })).lines).toEqual([
      { isin: 'DE0007164600', quantity: '24000' },
      { isin: 'US0378331005', quantity: '-150' },
    ]);
    expect(comparable(parseStatementCsv('currency,amount\nEUR,970848.87\nUSD,-12500.00', { ...HEADER, type: 'CASH' })).lines).toEqual([
      { currency: 'EUR', amount: '970848.87' },
      { currency: 'USD', amount: '-12500' },
    ]);
    expect(comparable(parseStatementCsv('instructionId,date,amount,currency,direction\nINS-5,2026-11-25,12.35,EUR,PAY', { ...HEADER, type: 'PENALTIES' })).lines).toEqual([
      { instructionId: 'INS-5', date: '2026-11-25', amount: '12.35', currency: 'EUR', direction: 'PAY' },
    ]);
    expect(parseStatementCsv('isin,quantity\n', { ...HEADER, type: 'HOLDINGS' }).lines).toEqual([]);
  });

  it('names a statement sent without an id after its account, type, date and content, so that a resent file is the same statement', () => {
    const first = parseStatementCsv(TRANSACTIONS_CSV, HEADER).statementId;
    expect(first).toMatch(/^CSV-TRANSACTIONS-2026-11-25-[0-9a-f]{32}$/);
    expect(parseStatementCsv(`${TRANSACTIONS_CSV.replace(/\r\n/g, '\n')}\n`, HEADER).statementId).toBe(first);
    expect(parseStatementCsv(TRANSACTIONS_CSV, { ...HEADER, account: 'SK-OTHER' }).statementId).not.toBe(first);
    expect(parseStatementCsv(TRANSACTIONS_CSV, { ...HEADER, asOf: '2026-11-26' }).statementId).not.toBe(first);
    expect(parseStatementCsv(TRANSACTIONS_CSV.replace('283891.80', '283891.81'), HEADER).statementId).not.toBe(first);
    expect(csvStatementId('CASH', 'A', '2026-01-01', 'x')).toBe(csvStatementId('CASH', 'A', '2026-01-01', '\uFEFFx\r\n'));
  });

  it('names the line (the header is line 1) and the column of every bad value', () => {
    const csv = [
      'reference,instructionId,isin,quantity,amount,currency,direction,settlementDate',
      'C-1,INS-1,DE0007164601,1500,283891.80,EUR,DELIVER,2026-11-25',
      'C-2,INS-2,DE0007164600,1e3,10,eur,SEND,2026-02-30',
      'C-3,INS-3,DE0007164600,0,-1,EUR,RECEIVE,2026-11-25',
      'C-4,INS-4,DE0007164600,1,5,XXX,RECEIVE,2026-11-25',
    ].join('\n');
    expect(fieldErrorsOf(() => parseStatementCsv(csv, HEADER))).toEqual([
      { field: 'line 2: isin', message: '"DE0007164601": check digit does not match (Luhn)' },
      { field: 'line 3: quantity', message: expect.stringMatching(/"1e3" is not a decimal string/) },
      { field: 'line 3: currency', message: expect.stringMatching(/"eur" is not a currency code/) },
      { field: 'line 3: direction', message: '"SEND" must be one of RECEIVE, DELIVER' },
      { field: 'line 3: settlementDate', message: expect.stringMatching(/"2026-02-30" is not a real date/) },
      { field: 'line 4: quantity', message: 'must be greater than zero' },
      { field: 'line 4: amount', message: 'must not be negative' },
      { field: 'line 5: amount', message: expect.stringMatching(/must be 0 with currency XXX/) },
    ]);
  });

  it('names a missing or extra column, in the header or in a row', () => {
    expect(fieldErrorsOf(() => parseStatementCsv('isin\nDE0007164600', { ...HEADER, type: 'HOLDINGS' }))).toEqual([{ field: 'line 1: quantity', message: expect.stringMatching(/must be "quantity", found nothing/) }]);
    expect(fieldErrorsOf(() => parseStatementCsv('isin,quantity,price\n', { ...HEADER, type: 'HOLDINGS' }))).toEqual([{ field: 'line 1: column 3', message: expect.stringMatching(/unexpected extra column "price"/) }]);
    expect(fieldErrorsOf(() => parseStatementCsv('isin,quantity\nDE0007164600\nUS0378331005,1,2\n\nFR0000131104,3', { ...HEADER, type: 'HOLDINGS' }))).toEqual([
      { field: 'line 2: quantity', message: 'is missing: the row has 1 column, the header 2' },
      { field: 'line 3: column 3', message: 'unexpected extra column: the header has 2' },
      { field: 'line 4: quantity', message: 'is missing: the row has 1 column, the header 2' },
    ]);
    expect(fieldErrorsOf(() => parseStatementCsv('', { ...HEADER, type: 'HOLDINGS' }))).toEqual([{ field: 'line 1', message: expect.stringMatching(/the file is empty/) }]);
  });

  it('names malformed quoting by its line', () => {
    expect(fieldErrorsOf(() => parseStatementCsv('currency,amount\nEUR,1\n"USD,2\n', { ...HEADER, type: 'CASH' }))).toEqual([{ field: 'line 3', message: expect.stringMatching(/never closed/) }]);
  });

  it('refuses a key twice, naming the second line and the first', () => {
    const cases: [string, string, string][] = [
      ['HOLDINGS', 'isin,quantity\nDE0007164600,1\nUS0378331005,2\nDE0007164600,3', 'line 4: isin'],
      ['TRANSACTIONS', `${TRANSACTIONS_CSV}\r\nC-1,INS-9,DE0007164600,1,1,EUR,RECEIVE,2026-11-25`, 'line 4: reference'],
      ['CASH', 'currency,amount\nEUR,1\nEUR,2', 'line 3: currency'],
      ['PENALTIES', 'instructionId,date,amount,currency,direction\nI-1,2026-11-25,1,EUR,PAY\nI-1,2026-11-24,1,EUR,PAY\nI-1,2026-11-25,2,EUR,RECEIVE', 'line 4: instructionId'],
    ];
    for (const [type, csv, field] of cases) {
      const [error] = fieldErrorsOf(() => parseStatementCsv(csv, { ...HEADER, type }));
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/appears twice in the statement: first on line 2/);
    }
  });

  it('checks the values beside the file (type, account, date, id), naming them as the query does', () => {
    expect(fieldErrorsOf(() => parseStatementCsv('isin,quantity', { type: 'POSITIONS', account: '', asOf: '2026-13-01', statementId: ' x' })).map((e) => e.field)).toEqual([
      'type',
      'account',
      'asOf',
      'statementId',
    ]);
  });

  it('refuses a statement over the line limit (by default 2,000,000), naming the first line past it', () => {
    const csv = `currency,amount\n${['EUR', 'USD', 'GBP', 'CHF'].map((c) => `${c},1`).join('\n')}`;
    expect(parseStatementCsv(csv, { ...HEADER, type: 'CASH' }, { maxLines: 4 }).lines).toHaveLength(4);
    expect(fieldErrorsOf(() => parseStatementCsv(csv, { ...HEADER, type: 'CASH' }, { maxLines: 3 }))).toEqual([
      { field: 'line 5', message: 'the statement has more than 3 lines, the most accepted in one statement' },
    ]);
  });

  it('renders what it reads (every type, any id or reference quoted as needed)', () => {
    fc.assert(
      fc.property(statementArb, (s) => {
        const back = parseStatementCsv(renderStatementCsv(s), { type: s.type, account: s.account, asOf: s.asOf, statementId: s.statementId });
        expect(comparable(back)).toEqual(comparable(s));
      }),
    );
    expect(renderStatementCsv(SAMPLE_TRANSACTIONS)).toBe(
      'reference,instructionId,isin,quantity,amount,currency,direction,settlementDate\r\n' +
        'C-1,INS-1,DE0007164600,1500,283891.8,EUR,DELIVER,2026-11-25\r\n' +
        'C-2,,DE0001102580,500000,0,XXX,RECEIVE,2026-11-25\r\n',
    );
  });

  // Speed is measured by `npm run bench` (reconciliation), never asserted here.
  it('reads a large file whole (20,000 lines)', () => {
    const rows = ['reference,instructionId,isin,quantity,amount,currency,direction,settlementDate'];
    const isins = ['DE0007164600', 'US0378331005', 'FR0000131104', 'NL0000009165'];
    for (let i = 0; i < 20_000; i++) rows.push(`C-${i},INS-${i},${isins[i % 4]},${1 + (i % 997)},${i}.25,EUR,${i % 2 ? 'RECEIVE' : 'DELIVER'},2026-11-25`);
    const statement = parseStatementCsv(rows.join('\n'), HEADER);
    expect(statement.lines).toHaveLength(20_000);
    expect(statement.lines[19_999]).toMatchObject({ reference: 'C-19999', instructionId: 'INS-19999', isin: 'NL0000009165' });
  });
});
