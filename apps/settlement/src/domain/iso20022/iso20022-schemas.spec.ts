import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { HEAD001_VERSION } from './business-message';
import { outboundSamples, SAMPLE_REFERENCE, SAMPLE_TERMS } from './samples';
import { renderSese020, SESE020_VERSION } from './sese020';
import { renderSese023, SESE023_VERSION } from './sese023';
import { renderSese030, SESE030_VERSION } from './sese030';

const XSD = join(__dirname, '../../../data/iso20022/xsd');
const FIXTURES = join(__dirname, '../../../test/fixtures/iso20022');

/** The part of a business message a schema is of: the Document, or the AppHdr. */
function part(xml: string, element: 'Document' | 'AppHdr'): string {
  const start = xml.indexOf(`<${element}`);
  if (start < 0) throw new Error(`no ${element} in the message`);
  return xml.slice(start, xml.lastIndexOf(`</${element}>`) + `</${element}>`.length);
}

async function schemaErrors(version: string, xml: string, element: 'Document' | 'AppHdr' = 'Document'): Promise<string[]> {
  const schema = { fileName: `${version}.xsd`, contents: readFileSync(join(XSD, `${version}.xsd`), 'utf8') };
  const result = await validateXML({ xml: { fileName: `${version}.xml`, contents: part(xml, element) }, schema, maxMemoryPages: 4096 });
  return result.errors.map((e) => e.message);
}

const held = { partyHold: true };
const bond = instructionTermsFor([tradeTerms({ priceType: 'PERCENT_OF_PAR', accruedInterest: '12.34', tradeDate: '2026-11-20' })]);
const fop = instructionTermsFor([tradeTerms({ settlementType: 'FOP' })]);
const netted = instructionTermsFor([tradeTerms(), tradeTerms({ tradeId: '00000000-0000-4000-8000-000000000002', side: 'SELL', quantity: '400', netAmount: '75704.48' })]);

describe('generated ISO 20022 messages validate against the schemas of their versions (data/iso20022/xsd)', () => {
  it.each([
    ['a sale with its trade date (the documented sample)', outboundSamples()['sese.023']],
    ['a purchase on party hold, partial settlement not allowed', renderSese023({ reference: 'R1', terms: instructionTermsFor([tradeTerms()]), status: held, partialSettlement: false })],
    ['a bond with accrued interest', renderSese023({ reference: 'R2', terms: bond, tradeDate: '2026-11-20' })],
    ['a free-of-payment instruction', renderSese023({ reference: 'R3', terms: fop })],
    ['a net instruction', renderSese023({ reference: 'R4', terms: netted })],
  ])(`${SESE023_VERSION}: %s`, async (_what, xml) => {
    expect(await schemaErrors(SESE023_VERSION, xml)).toEqual([]);
  });

  it.each([
    ['the documented sample (a sale, with its trade date)', outboundSamples()['sese.020']],
    ['a free-of-payment purchase without the counterparty SSI', renderSese020({ reference: 'C2', instructionReference: 'R3', terms: { ...fop, ssis: { ...fop.ssis, theirs: null } }, createdAt: '2026-11-24T10:00:00Z' })],
    ['a bond', renderSese020({ reference: 'C3', instructionReference: 'R2', terms: bond })],
  ])(`${SESE020_VERSION} and its ${HEAD001_VERSION} header: %s`, async (_what, xml) => {
    expect(await schemaErrors(SESE020_VERSION, xml)).toEqual([]);
    expect(await schemaErrors(HEAD001_VERSION, xml, 'AppHdr')).toEqual([]);
  });

  it.each(['HOLD', 'RELEASE'] as const)(`${SESE030_VERSION} and its ${HEAD001_VERSION} header: %s`, async (action) => {
    const xml = renderSese030({ reference: `${action}-1`, instructionReference: SAMPLE_REFERENCE, action, terms: SAMPLE_TERMS });
    expect(await schemaErrors(SESE030_VERSION, xml)).toEqual([]);
    expect(await schemaErrors(HEAD001_VERSION, xml, 'AppHdr')).toEqual([]);
  });

  it.each([
    ['sese.024.001.10', 'sese.024.001.10_failing_synthetic.xml'],
    ['sese.024.001.10', 'sese.024.001.10_statuses_postrade.xml'],
    ['sese.024.001.10', 'sese.024.001.10_rejected_postrade.xml'],
    ['sese.024.001.10', 'sese.024.001.10_on_hold_postrade.xml'],
    ['sese.025.001.09', 'sese.025.001.09_T2S_confirmation_prowide.xml'],
    ['sese.025.001.09', 'sese.025.001.09_partial_postrade.xml'],
    ['sese.027.001.06', 'sese.027.001.06_cancelled_postrade.xml'],
    ['sese.031.001.08', 'sese.031.001.08_hold_completed_postrade.xml'],
    ['sese.031.001.08', 'sese.031.001.08_hold_rejected_postrade.xml'],
  ])('the inbound fixture %s %s', async (version, file) => {
    expect(await schemaErrors(version, readFileSync(join(FIXTURES, file), 'utf8'))).toEqual([]);
  });

  it('the schemas catch a message out of shape: a missing settlement date, elements out of order, a code outside its set', async () => {
    const xml = outboundSamples()['sese.023'];
    const withoutDate = xml.replace(/<SttlmDt>[\s\S]*?<\/SttlmDt>/, '');
    const reordered = xml.replace(/(<FinInstrmId>[\s\S]*?<\/FinInstrmId>)\s*(<QtyAndAcctDtls>[\s\S]*?<\/QtyAndAcctDtls>)/, '$2$1');
    const badCode = xml.replace('<PrtlSttlmInd>PART</PrtlSttlmInd>', '<PrtlSttlmInd>MAYBE</PrtlSttlmInd>');
    for (const broken of [withoutDate, reordered, badCode]) {
      expect(broken).not.toBe(xml);
      expect(await schemaErrors(SESE023_VERSION, broken)).not.toEqual([]);
    }
    const release = renderSese030({ reference: 'X', instructionReference: 'Y', action: 'RELEASE', terms: SAMPLE_TERMS });
    expect(await schemaErrors(SESE030_VERSION, release.replace(/<SfkpgAcct>[\s\S]*?<\/SfkpgAcct>/, ''))).not.toEqual([]);
  });
});
