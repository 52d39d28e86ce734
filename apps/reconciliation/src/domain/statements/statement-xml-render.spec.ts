import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { validateXML } from 'xmllint-wasm';
import type { Statement } from '../model';
import { MESSAGE_DEFINITIONS, messageIdentifier, type StatementMessage } from './iso20022';
import { parseStatementXml } from './statement-xml';
import { renderCamt053, renderSemt002, renderSemt017, renderSemt044, renderStatementXml } from './statement-xml-render';
import {
  cashStatementArb,
  comparable,
  holdingsStatementArb,
  penaltiesStatementArb,
  SAMPLE_CASH,
  SAMPLE_HOLDINGS,
  SAMPLE_PENALTIES,
  SAMPLE_TRANSACTIONS,
  statementArb,
  transactionsStatementArb,
} from './statements.fixtures';

const DATA = join(__dirname, '../../../data/iso20022');

describe('ISO 20022 renderers: what they write reads back as the same statement', () => {
  it('semt.002 (holdings, short positions included)', () => {
    fc.assert(fc.property(holdingsStatementArb, (s) => expect(comparable(parseStatementXml(renderSemt002(s)))).toEqual(comparable(s))));
  });

  it('semt.017 (transactions, free-of-payment and NONREF included, line order kept across instruments)', () => {
    fc.assert(fc.property(transactionsStatementArb, (s) => expect(comparable(parseStatementXml(renderSemt017(s)))).toEqual(comparable(s))));
  });

  it('camt.053 (cash, debit balances included)', () => {
    fc.assert(fc.property(cashStatementArb, (s) => expect(comparable(parseStatementXml(renderCamt053(s)))).toEqual(comparable(s))));
  });

  it('semt.044 (penalties of several days and currencies, line order kept)', () => {
    fc.assert(fc.property(penaltiesStatementArb, (s) => expect(comparable(parseStatementXml(renderSemt044(s)))).toEqual(comparable(s))));
  });

  it('renderStatementXml picks the message of the type', () => {
    fc.assert(fc.property(statementArb, (s) => expect(comparable(parseStatementXml(renderStatementXml(s)))).toEqual(comparable(s))));
  });

  it('escapes text so that an id cannot break the document', () => {
    const xml = renderSemt002({ ...SAMPLE_HOLDINGS, statementId: '<a> & "b"', account: "it's" });
    expect(parseStatementXml(xml)).toMatchObject({ statementId: '<a> & "b"', account: "it's" });
  });

  it('refuses a cash statement without a line: camt.053 carries at least one balance', () => {
    expect(() => renderCamt053({ ...SAMPLE_CASH, lines: [] })).toThrow(/at least one balance/);
  });
});

// ---------------------------------------------------------------- structure against the schemas

const SCHEMA_FILES: Record<StatementMessage, string> = {
  'semt.002': 'semt.002.001.11.xsd',
  'semt.017': 'semt.017.001.12.xsd',
  'camt.053': 'camt.053.001.08.xsd',
  'semt.044': 'semt.044.001.01.xsd',
};
const schemaOf = (message: StatementMessage) => ({ fileName: SCHEMA_FILES[message], contents: readFileSync(join(DATA, 'xsd', SCHEMA_FILES[message]), 'utf8') });

/** The Document alone: the schemas are of the message; an AppHdr and its wrapper are not part of it. */
function documentOnly(xml: string): string {
  const start = xml.indexOf('<Document');
  return xml.slice(start, xml.indexOf('</Document>', start) + '</Document>'.length);
}

async function schemaErrors(message: StatementMessage, xml: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'statement.xml', contents: documentOnly(xml) }, schema: schemaOf(message), maxMemoryPages: 4096 });
  return result.errors.map((e) => e.message);
}

const MESSAGE_OF_TYPE = Object.fromEntries(Object.values(MESSAGE_DEFINITIONS).map((d) => [d.type, d.message])) as Record<Statement['type'], StatementMessage>;

describe('structure: samples and renderer output validate against the message schemas (data/iso20022/xsd)', () => {
  it('the schemas are those of the versions the renderers write', () => {
    for (const definition of Object.values(MESSAGE_DEFINITIONS)) {
      expect(SCHEMA_FILES[definition.message]).toBe(`${messageIdentifier(definition.message, definition.renderedVersion)}.xsd`);
    }
  });

  it.each([
    ['semt.002', 'semt.002.001.11_custody_statement_synthetic_prowide.xml'],
    ['semt.017', 'semt.017.001.12_posting_report_postrade.xml'],
    ['camt.053', 'camt.053.001.08_cash_statement_postrade.xml'],
    ['semt.044', 'semt.044.001.01_penalties_report_postrade.xml'],
  ] as const)('the %s sample', async (message, file) => {
    expect(await schemaErrors(message, readFileSync(join(DATA, file), 'utf8'))).toEqual([]);
  });

  it.each([
    ['semt.002', 'a fixed statement', renderSemt002(SAMPLE_HOLDINGS)],
    ['semt.017', 'a fixed statement', renderSemt017(SAMPLE_TRANSACTIONS)],
    ['camt.053', 'a fixed statement', renderCamt053(SAMPLE_CASH)],
    ['semt.044', 'a fixed statement', renderSemt044(SAMPLE_PENALTIES)],
    ['semt.002', 'a statement without lines', renderSemt002({ ...SAMPLE_HOLDINGS, lines: [] })],
    ['semt.017', 'a statement without lines', renderSemt017({ ...SAMPLE_TRANSACTIONS, lines: [] })],
    ['semt.044', 'a statement without lines', renderSemt044({ ...SAMPLE_PENALTIES, lines: [] })],
  ] as const)('the %s renderer: %s', async (message, _what, xml) => {
    expect(await schemaErrors(message, xml)).toEqual([]);
  });

  it('the renderers: generated statements of every type (one validation run per message)', async () => {
    const statements = fc.sample(statementArb, { numRuns: 60, seed: 20261125 });
    for (const message of Object.keys(SCHEMA_FILES) as StatementMessage[]) {
      const files = statements
        .filter((s) => MESSAGE_OF_TYPE[s.type] === message)
        .map((s, i) => ({ fileName: `${message}-${i}.xml`, contents: documentOnly(renderStatementXml(s)) }));
      expect(files.length).toBeGreaterThan(0);
      const result = await validateXML({ xml: files, schema: schemaOf(message), maxMemoryPages: 4096 });
      expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    }
  });

  it('the check is real: an element out of order, a missing one or a bad code is caught', async () => {
    const xml = renderSemt017(SAMPLE_TRANSACTIONS);
    const swapped = xml.replace(/(<TxActvty>[\s\S]*?<\/TxActvty>)(\s*)(<SctiesMvmntTp>\w+<\/SctiesMvmntTp>)/, '$3$2$1');
    const [first] = SAMPLE_TRANSACTIONS.lines;
    expect(swapped).not.toBe(xml);
    expect((await schemaErrors('semt.017', swapped))[0]).toMatch(/SctiesMvmntTp.*not expected/);
    expect(await schemaErrors('semt.017', xml.replace(/<TxActvty>\s*<Cd>SETT<\/Cd>\s*<\/TxActvty>/, ''))).not.toEqual([]);
    expect(await schemaErrors('semt.017', xml.replace('<SctiesMvmntTp>DELI</SctiesMvmntTp>', '<SctiesMvmntTp>DLVR</SctiesMvmntTp>'))).not.toEqual([]);
    expect(await schemaErrors('semt.017', xml.replace(`<AcctSvcrTxId>${first.reference}</AcctSvcrTxId>`, '').replace(`<AcctOwnrTxId>${first.instructionId}</AcctOwnrTxId>`, ''))).not.toEqual([]);
    expect(await schemaErrors('camt.053', renderCamt053(SAMPLE_CASH).replace('<CdtDbtInd>CRDT</CdtDbtInd>', ''))).not.toEqual([]);
  });
});
