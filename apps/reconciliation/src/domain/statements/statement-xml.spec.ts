import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStatementXml } from './statement-xml';
import { renderCamt053, renderSemt002, renderSemt017, renderSemt044 } from './statement-xml-render';
import { comparable, fieldErrorsOf, SAMPLE_CASH, SAMPLE_HOLDINGS, SAMPLE_PENALTIES, SAMPLE_TRANSACTIONS } from './statements.fixtures';

const DATA = join(__dirname, '../../../data/iso20022');
const sample = (file: string) => readFileSync(join(DATA, file), 'utf8');

/** The 1-based line of the `occurrence`-th (1-based) appearance of `text` in `xml`. */
function lineOf(xml: string, text: string, occurrence = 1): number {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = xml.indexOf(text, at + 1);
    if (at === -1) throw new Error(`"${text}" (occurrence ${occurrence}) is not in the document`);
  }
  return xml.slice(0, at).split('\n').length;
}

function replaceOnce(xml: string, from: string, to: string): string {
  if (!xml.includes(from)) throw new Error(`"${from}" is not in the document`);
  return xml.replace(from, to);
}

const errorsOf = (xml: string) => fieldErrorsOf(() => parseStatementXml(xml));

describe('parseStatementXml: the samples', () => {
  it('reads the semt.002.001.11 custody statement (AppHdr and Document in an Envelope)', () => {
    const statement = parseStatementXml(sample('semt.002.001.11_custody_statement_synthetic_prowide.xml'), { isinCheck: 'pattern' });
    expect(statement).toMatchObject({ statementId: 'TESTSTMT0001', type: 'HOLDINGS', account: 'IBRCBBBBDEFFXXX000000001P0EX0000001', asOf: '2026-01-01' });
    expect(statement.lines).toHaveLength(139);
    expect(comparable(statement).lines.slice(3, 6)).toEqual([
      { isin: 'XX0000000004', quantity: '100' },
      { isin: 'XX0000000005', quantity: '1000' }, // a face amount
      { isin: 'XX0000000006', quantity: '1000' },
    ]);
  });

  it('refuses that sample by default: its placeholder ISINs have no country prefix', () => {
    const [first] = fieldErrorsOf(() => parseStatementXml(sample('semt.002.001.11_custody_statement_synthetic_prowide.xml')));
    expect(first).toEqual({ field: 'line 1: BalForAcct/FinInstrmId/ISIN', message: expect.stringMatching(/"XX0000000001": prefix XX is neither/) });
  });

  it('reads the semt.017.001.12 posting report: DVP both ways, a date-time, a face amount and a free-of-payment NONREF posting', () => {
    const statement = parseStatementXml(sample('semt.017.001.12_posting_report_postrade.xml'));
    expect(comparable(statement)).toEqual({
      statementId: 'TXP-20261125-0001',
      type: 'TRANSACTIONS',
      account: 'SK-DEUT-0001',
      asOf: '2026-11-25',
      lines: [
        { reference: 'CUST-5550001', instructionId: 'INS-7F3A-0001', isin: 'DE0007164600', quantity: '1500', amount: '283891.8', currency: 'EUR', direction: 'DELIVER', settlementDate: '2026-11-25' },
        { reference: 'CUST-5550002', instructionId: 'INS-7F3A-0002', isin: 'DE0007164600', quantity: '500', amount: '94630.6', currency: 'EUR', direction: 'RECEIVE', settlementDate: '2026-11-25' },
        { reference: 'CUST-5550003', instructionId: 'INS-7F3A-0003', isin: 'DE0001102580', quantity: '2000000', amount: '1968412.33', currency: 'EUR', direction: 'RECEIVE', settlementDate: '2026-11-25' },
        { reference: 'CUST-5550004', instructionId: null, isin: 'DE0001102580', quantity: '500000', amount: '0', currency: 'XXX', direction: 'RECEIVE', settlementDate: '2026-11-25' },
      ],
    });
  });

  it('reads the camt.053.001.08 statement: the closing booked balance of each currency, a debit negative', () => {
    const statement = parseStatementXml(sample('camt.053.001.08_cash_statement_postrade.xml'));
    expect(comparable(statement)).toEqual({
      statementId: 'CSH-20261125-DEUT-01', // two Stmt (one per currency): the message id
      type: 'CASH',
      account: 'CSH-DEUT-0001',
      asOf: '2026-11-25',
      lines: [
        { currency: 'EUR', amount: '970848.87' },
        { currency: 'USD', amount: '-12500' },
      ],
    });
  });

  it('reads the semt.044.001.01 penalties report: per instruction and day, DBIT we pay, a removed penalty left out', () => {
    const statement = parseStatementXml(sample('semt.044.001.01_penalties_report_postrade.xml'));
    expect(comparable(statement)).toEqual({
      statementId: 'PNL-RPT-20261126-0042',
      type: 'PENALTIES',
      account: 'SK-DEUT-0001',
      asOf: '2026-11-26',
      lines: [
        { instructionId: 'INS-7F3A-0005', date: '2026-11-25', amount: '12.35', currency: 'EUR', direction: 'PAY' },
        { instructionId: 'INS-7F3A-0006', date: '2026-11-25', amount: '4.1', currency: 'EUR', direction: 'RECEIVE' },
        { instructionId: 'INS-7F3A-0008', date: '2026-11-25', amount: '27.8', currency: 'EUR', direction: 'PAY' },
        { instructionId: 'INS-7F3A-0009', date: '2026-11-25', amount: '3', currency: 'USD', direction: 'RECEIVE' },
      ],
    });
  });
});

describe('parseStatementXml: the message and its version', () => {
  const holdings = renderSemt002(SAMPLE_HOLDINGS);

  it('reads every accepted version of a message (the namespace names it)', () => {
    for (const version of ['08', '09', '10', '12']) {
      const xml = holdings.replace('semt.002.001.11', `semt.002.001.${version}`);
      expect(comparable(parseStatementXml(xml))).toEqual(comparable(SAMPLE_HOLDINGS));
    }
    expect(parseStatementXml(renderCamt053(SAMPLE_CASH).replace('camt.053.001.08', 'camt.053.001.13')).lines).toHaveLength(2);
    expect(parseStatementXml(renderSemt017(SAMPLE_TRANSACTIONS).replace('semt.017.001.12', 'semt.017.001.08')).lines).toHaveLength(2);
  });

  it.each([
    ['another message', 'urn:iso:std:iso:20022:tech:xsd:sese.025.001.09'],
    ['a version not read', 'urn:iso:std:iso:20022:tech:xsd:semt.002.001.07'],
    ['the old SWIFT namespace', 'urn:swift:xsd:semt.002.002.03'],
    ['no namespace at all', ''],
  ])('refuses %s, naming the Document', (_what, namespace) => {
    const xml = holdings.replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:semt.002.001.11"', namespace === '' ? '' : ` xmlns="${namespace}"`);
    const [error] = errorsOf(xml);
    expect(error.field).toBe('line 2: Document');
    expect(error.message).toMatch(/unknown message namespace .*expected one of semt\.002\.001\.08/);
  });

  it('refuses a document without an ISO 20022 Document, or with the wrong message inside', () => {
    expect(errorsOf('<Envelope>\n<AppHdr/>\n</Envelope>')[0]).toMatchObject({ field: 'line 1: Envelope', message: expect.stringMatching(/no ISO 20022 Document/) });
    const wrong = holdings.replace(/SctiesBalCtdyRpt/g, 'SctiesTxPstngRpt');
    expect(errorsOf(wrong)[0]).toMatchObject({ field: 'line 3: Document/SctiesTxPstngRpt', message: expect.stringMatching(/expected SctiesBalCtdyRpt/) });
  });

  it('tolerates a wrapper with an AppHdr, and takes the statement id from BizMsgIdr when the statement has none', () => {
    const body = holdings.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '').replace('      <StmtId>HLD-1</StmtId>\n', '');
    const wrapped = `<RequestPayload>\n<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><BizMsgIdr>BIZ-42</BizMsgIdr><MsgDefIdr>semt.002.001.11</MsgDefIdr></AppHdr>\n${body}</RequestPayload>`;
    expect(parseStatementXml(wrapped).statementId).toBe('BIZ-42');
    const withoutId = errorsOf(body);
    expect(withoutId).toEqual([{ field: `line ${lineOf(body, '<StmtGnlDtls>')}: SctiesBalCtdyRpt/StmtGnlDtls/StmtId`, message: expect.stringMatching(/is missing \(and no AppHdr\/BizMsgIdr\)/) }]);
  });

  it('refuses an AppHdr that names another message than the Document', () => {
    const xml = `<Envelope>\n<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">\n<MsgDefIdr>semt.017.001.12</MsgDefIdr>\n</AppHdr>\n${holdings.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '')}</Envelope>`;
    expect(errorsOf(xml)).toEqual([{ field: 'line 3: AppHdr/MsgDefIdr', message: 'says semt.017.001.12, but the Document is semt.002.001.11' }]);
  });
});

describe('parseStatementXml: malformed and invalid content, named by line and element', () => {
  const transactions = sample('semt.017.001.12_posting_report_postrade.xml');

  it('names the line of malformed XML', () => {
    const broken = replaceOnce(transactions, '<PgNb>1</PgNb>', '<PgNb>1</PgNbr>');
    expect(errorsOf(broken)).toEqual([{ field: `line ${lineOf(transactions, '<PgNb>')}: PgNb`, message: expect.stringMatching(/closing tag <\/PgNbr> does not match <PgNb>/) }]);
    expect(errorsOf(transactions.slice(0, transactions.indexOf('<Tx>') + 4))[0].message).toMatch(/opened on line \d+ is never closed/);
    expect(errorsOf('   ')[0]).toEqual({ field: 'line 1: document', message: expect.stringMatching(/is empty/) });
  });

  it('names the element of a bad value, on its own line', () => {
    const xml = replaceOnce(transactions, '<Unit>500</Unit>', '<Unit>5O0</Unit>');
    expect(errorsOf(xml)).toEqual([{ field: `line ${lineOf(xml, '<Unit>5O0')}: Tx/TxDtls/PstngQty/Qty/Unit`, message: expect.stringMatching(/"5O0" is not a decimal string/) }]);
  });

  it('names a missing element at the line of the element that should hold it', () => {
    const xml = replaceOnce(transactions, '<AcctSvcrTxId>CUST-5550002</AcctSvcrTxId>', '');
    expect(errorsOf(xml)).toEqual([{ field: `line ${lineOf(xml, '<Tx>', 2)}: Tx/AcctSvcrTxId`, message: expect.stringMatching(/is missing/) }]);
  });

  it('reports every bad field of the statement at once', () => {
    let xml = replaceOnce(transactions, '<SctiesMvmntTp>RECE</SctiesMvmntTp>', '<SctiesMvmntTp>RCVE</SctiesMvmntTp>');
    xml = replaceOnce(xml, '<Amt Ccy="EUR">1968412.33</Amt>', '<Amt Ccy="eur">-1968412.33</Amt>');
    xml = replaceOnce(xml, '<Dt>2026-11-25</Dt>\n          </FctvSttlmDt>', '<Dt>2026-11-31</Dt>\n          </FctvSttlmDt>');
    expect(errorsOf(xml).map((e) => e.field)).toEqual([
      `line ${lineOf(xml, '2026-11-31')}: Tx/TxDtls/FctvSttlmDt/Dt`,
      `line ${lineOf(xml, 'RCVE')}: Tx/TxDtls/SctiesMvmntTp`,
      `line ${lineOf(xml, '-1968412.33')}: Tx/TxDtls/PstngAmt/Amt`,
      `line ${lineOf(xml, '-1968412.33')}: Tx/TxDtls/PstngAmt/Amt/@Ccy`,
    ]);
  });

  it('bounds decimals: at most 18 integer and 12 fraction digits; xs:decimal forms are read by value', () => {
    const long = replaceOnce(transactions, '<Unit>1500</Unit>', `<Unit>${'9'.repeat(19)}</Unit>`);
    expect(errorsOf(long)[0].message).toMatch(/too many digits/);
    const fine = replaceOnce(transactions, '<Unit>1500</Unit>', '<Unit>+001500.000</Unit>');
    expect(comparable(parseStatementXml(fine)).lines[0].quantity).toBe('1500');
    const huge = replaceOnce(transactions, '<Unit>1500</Unit>', `<Unit>${'1'.repeat(100_000)}</Unit>`);
    expect(errorsOf(huge)[0].message).toMatch(/too many digits/);
  });

  it('refuses a statement over the line limit, naming the first line past it', () => {
    expect(parseStatementXml(transactions, { maxLines: 4 }).lines).toHaveLength(4);
    expect(fieldErrorsOf(() => parseStatementXml(transactions, { maxLines: 3 }))).toEqual([
      { field: `line ${lineOf(transactions, '<Tx>', 4)}: Tx`, message: 'the statement has more than 3 lines, the most accepted in one statement' },
    ]);
  });
});

describe('parseStatementXml: duplicates, named at the second line', () => {
  it('the same ISIN twice in holdings', () => {
    const xml = renderSemt002({ ...SAMPLE_HOLDINGS, lines: [SAMPLE_HOLDINGS.lines[0], SAMPLE_HOLDINGS.lines[1], SAMPLE_HOLDINGS.lines[0]] });
    expect(errorsOf(xml)).toEqual([
      { field: `line ${lineOf(xml, '<ISIN>DE0007164600', 2)}: BalForAcct/FinInstrmId/ISIN`, message: `ISIN DE0007164600 appears twice in the statement: first on line ${lineOf(xml, '<ISIN>DE0007164600')}` },
    ]);
  });

  it('the same reference twice in transactions', () => {
    const xml = renderSemt017({ ...SAMPLE_TRANSACTIONS, lines: [SAMPLE_TRANSACTIONS.lines[0], { ...SAMPLE_TRANSACTIONS.lines[1], reference: 'C-1' }] });
    expect(errorsOf(xml)).toEqual([{ field: `line ${lineOf(xml, '>C-1<', 2)}: Tx/AcctSvcrTxId`, message: `reference C-1 appears twice in the statement: first on line ${lineOf(xml, '>C-1<')}` }]);
  });

  it('the same currency twice in cash', () => {
    const xml = renderCamt053({ ...SAMPLE_CASH, lines: [...SAMPLE_CASH.lines, SAMPLE_CASH.lines[0]] });
    expect(errorsOf(xml)).toEqual([{ field: `line ${lineOf(xml, 'Ccy="EUR"', 2)}: Bal/Amt`, message: `a closing booked balance in EUR appears twice in the statement: first on line ${lineOf(xml, 'Ccy="EUR"')}` }]);
  });

  it('the same instruction and day twice in penalties', () => {
    const xml = renderSemt044({ ...SAMPLE_PENALTIES, lines: [...SAMPLE_PENALTIES.lines, SAMPLE_PENALTIES.lines[0]] });
    expect(errorsOf(xml)).toEqual([
      { field: `line ${lineOf(xml, '>INS-5<', 2)}: PnltyDtls/RltdTx/Ref/AcctOwnrTxId`, message: `a penalty for instruction INS-5 on 2026-11-25 appears twice in the statement: first on line ${lineOf(xml, '>INS-5<')}` },
    ]);
  });
});

describe('parseStatementXml: what would be misread as a complete statement is refused', () => {
  const holdings = renderSemt002(SAMPLE_HOLDINGS);
  const transactions = renderSemt017(SAMPLE_TRANSACTIONS);

  it.each([
    ['a delta holdings statement', holdings, '<Cd>COMP</Cd>', '<Cd>DELT</Cd>', 'SctiesBalCtdyRpt/StmtGnlDtls/UpdTp/Cd', /delta statement/],
    ['a statement on trade-date basis', holdings, '<StmtBsis>\n        <Cd>SETT</Cd>', '<StmtBsis>\n        <Cd>TRAD</Cd>', 'SctiesBalCtdyRpt/StmtGnlDtls/StmtBsis', /basis TRAD is not reconciled/],
    ['page 2 of a statement', holdings, '<PgNb>1</PgNb>', '<PgNb>2</PgNb>', 'SctiesBalCtdyRpt/Pgntn', /split over several messages/],
    ['a page that is not the last', transactions, '<LastPgInd>true</LastPgInd>', '<LastPgInd>false</LastPgInd>', 'SctiesTxPstngRpt/Pgntn', /not the last/],
    ['a reversal', transactions, '<FctvSttlmDt>', '<FctvSttlmDt>', 'Tx/TxDtls/RvslInd', /reversal/],
    ['a proprietary quantity', holdings, '<Qty>\n            <Qty>\n              <Unit>24000</Unit>\n            </Qty>\n          </Qty>', '<Prtry><Id>X</Id><Issr>Y</Issr><Bal>1</Bal></Prtry>', 'BalForAcct/AggtBal/Qty', /proprietary balance/],
    ['an instrument without an ISIN', holdings, '<ISIN>US0378331005</ISIN>', '<Desc>Apple</Desc>', 'BalForAcct/FinInstrmId/ISIN', /only instruments identified by an ISIN/],
  ])('%s', (what, xml, from, to, path, message) => {
    let changed = replaceOnce(xml, from, to);
    if (what === 'a reversal') changed = replaceOnce(changed, '</FctvSttlmDt>', '</FctvSttlmDt>\n<RvslInd>true</RvslInd>');
    const [error] = errorsOf(changed);
    expect(error.field).toMatch(new RegExp(`^line \\d+: ${path.replace(/\//g, '\\/')}$`));
    expect(error.message).toMatch(message);
  });

  it('sub-account breakdowns', () => {
    const xml = replaceOnce(holdings, '  </SctiesBalCtdyRpt>', '    <SubAcctDtls><SfkpgAcct><Id>SUB</Id></SfkpgAcct><ActvtyInd>true</ActvtyInd></SubAcctDtls>\n  </SctiesBalCtdyRpt>');
    expect(errorsOf(xml)[0]).toMatchObject({ field: expect.stringMatching(/: SctiesBalCtdyRpt\/SubAcctDtls$/), message: expect.stringMatching(/sub-account/) });
  });

  it('a cash message of two accounts, or without closing balance, or with closing balances of two dates', () => {
    const cash = renderCamt053(SAMPLE_CASH);
    const stmt = cash.slice(cash.indexOf('    <Stmt>'), cash.indexOf('  </BkToCstmrStmt>'));
    const other = stmt.replace('<Id>CSH-DEUT-0001</Id>', '<Id>CSH-OTHER</Id>').replace(/EUR/g, 'CHF').replace(/USD/g, 'JPY');
    expect(errorsOf(cash.replace('  </BkToCstmrStmt>', `${other}  </BkToCstmrStmt>`))[0].message).toMatch(/is CSH-OTHER, but the message's first statement is of account CSH-DEUT-0001/);
    expect(errorsOf(cash.replace(/CLBD/g, 'OPBD'))[0].message).toMatch(/no closing booked balance/);
    const twoDates = replaceOnce(cash, '<Dt>2026-11-25</Dt>', '<Dt>2026-11-24</Dt>');
    expect(errorsOf(twoDates)[0].message).toMatch(/is 2026-11-25, but the first closing balance is of 2026-11-24/);
  });

  it('a penalty without a direction, or naming no instruction of ours', () => {
    const penalties = renderSemt044(SAMPLE_PENALTIES);
    const withoutDirection = penalties.replace(/<CdtDbt>DBIT<\/CdtDbt>(\s*)<\/CmptdAmt>/, '$1</CmptdAmt>');
    expect(withoutDirection).not.toBe(penalties);
    expect(errorsOf(withoutDirection)[0]).toMatchObject({
      field: expect.stringMatching(/: PnltyDtls\/CmptdAmt\/CdtDbt$/),
      message: expect.stringMatching(/DBIT \(we pay\) or CRDT/),
    });
    expect(errorsOf(replaceOnce(penalties, '>INS-5<', '>NONREF<'))[0].message).toMatch(/NONREF names no instruction/);
  });
});

// Speed is measured by `npm run bench` (reconciliation), never asserted here.
describe('parseStatementXml: a large statement', () => {
  it('reads a 20,000-line semt.002 whole', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => ({ isin: `XX${String(i).padStart(9, '0')}0`, quantity: SAMPLE_HOLDINGS.lines[i % 3].quantity }));
    const xml = renderSemt002({ ...SAMPLE_HOLDINGS, lines });
    const statement = parseStatementXml(xml, { isinCheck: 'pattern' });
    expect(statement.lines).toHaveLength(20_000);
    expect(statement.lines[19_999]).toMatchObject({ isin: lines[19_999].isin });
  });
});
