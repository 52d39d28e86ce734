import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { renderSese023, SESE023_NAMESPACE } from './sese023';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml);

describe('sese.023 rendering', () => {
  it('is well-formed and carries the ISIN, quantity, amount, ISD and both parties', () => {
    const terms = instructionTermsFor([tradeTerms({ side: 'SELL' })]);
    const xml = renderSese023({ reference: 'ABC123', terms });
    expect(XMLValidator.validate(xml)).toBe(true);
    const instr = parse(xml).Document.SctiesSttlmTxInstr;
    expect(xml).toContain(`<Document xmlns="${SESE023_NAMESPACE}">`);
    expect(instr.TxId).toBe('ABC123');
    expect(instr.SttlmTpAndAddtlParams).toEqual({ SctiesMvmntTp: 'DELI', Pmt: 'APMT' });
    expect(instr.FinInstrmId.ISIN).toBe('DE0007164600');
    expect(instr.QtyAndAcctDtls.SttlmQty.Qty.Unit).toBe('1000');
    expect(instr.TradDtls.SttlmDt.Dt.Dt).toBe('2026-11-25');
    expect(instr.SttlmAmt.Amt).toEqual({ '#text': '189261.20', '@_Ccy': 'EUR' });
    expect(instr.SttlmAmt.CdtDbtInd).toBe('CRDT');
    // Selling: we deliver, the counterparty receives.
    expect(instr.DlvrgSttlmPties.Pty1).toMatchObject({ Id: { AnyBIC: 'DEUTDEFFXXX' }, LEI: '529900T8BM49AURSDO55', SfkpgAcct: { Id: 'SK-OURS' } });
    expect(instr.RcvgSttlmPties.Pty1).toMatchObject({ Id: { AnyBIC: 'CHASDEFXXXX' }, LEI: '5493001KJTIIGC8Y1R12', SfkpgAcct: { Id: 'SK-THEIRS' } });
    expect(instr.RcvgSttlmPties.Dpstry.Id.AnyBIC).toBe('DAKVDEFFXXX');
  });

  it('gives a bond its face amount and accrued interest, and a free-of-payment instruction no amount', () => {
    const bond = parse(renderSese023({ reference: 'B', terms: instructionTermsFor([tradeTerms({ priceType: 'PERCENT_OF_PAR', accruedInterest: '12.34' })]) })).Document.SctiesSttlmTxInstr;
    expect(bond.QtyAndAcctDtls.SttlmQty.Qty.FaceAmt).toBe('1000');
    expect(bond.OthrAmts.AcrdIntrstAmt.Amt['#text']).toBe('12.34');
    const fop = parse(renderSese023({ reference: 'F', terms: instructionTermsFor([tradeTerms({ settlementType: 'FOP' })]) })).Document.SctiesSttlmTxInstr;
    expect(fop.SttlmTpAndAddtlParams.Pmt).toBe('FREE');
    expect(fop.SttlmAmt).toBeUndefined();
  });

  it('escapes text so that an account name cannot break the document', () => {
    const terms = instructionTermsFor([tradeTerms()]);
    const xml = renderSese023({ reference: 'R', terms: { ...terms, ssis: { ...terms.ssis, ours: { ...terms.ssis.ours!, safekeepingAccount: 'A&B <1>' } } } });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parse(xml).Document.SctiesSttlmTxInstr.QtyAndAcctDtls.SfkpgAcct.Id).toBe('A&B <1>');
  });
});
