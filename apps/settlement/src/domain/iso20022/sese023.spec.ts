import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '@postrade/kernel';
import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { MissingSsiError } from './missing-ssi.error';
import { renderSese023, SESE023_NAMESPACE } from './sese023';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml);

describe('sese.023 rendering', () => {
  it('carries what T2S matches on: trade and settlement dates, ISIN, quantity, amount and currency, and both settlement chains', () => {
    const terms = instructionTermsFor([tradeTerms({ side: 'SELL' })]);
    const xml = renderSese023({ reference: 'ABC123', terms, tradeDate: '2026-11-23' });
    expect(XMLValidator.validate(xml)).toBe(true);
    const instr = parse(xml).Document.SctiesSttlmTxInstr;
    expect(xml).toContain(`<Document xmlns="${SESE023_NAMESPACE}">`);
    expect(instr.TxId).toBe('ABC123');
    expect(instr.SttlmTpAndAddtlParams).toEqual({ SctiesMvmntTp: 'DELI', Pmt: 'APMT' });
    expect(instr.FinInstrmId.ISIN).toBe('DE0007164600');
    expect(instr.QtyAndAcctDtls.SttlmQty.Qty.Unit).toBe('1000');
    expect(instr.QtyAndAcctDtls.SfkpgAcct.Id).toBe('SK-OURS');
    expect(instr.TradDtls.TradDt.Dt.Dt).toBe('2026-11-23');
    expect(instr.TradDtls.SttlmDt.Dt.Dt).toBe('2026-11-25');
    expect(instr.SttlmAmt.Amt).toEqual({ '#text': '189261.20', '@_Ccy': 'EUR' });
    expect(instr.SttlmAmt.CdtDbtInd).toBe('CRDT');
    // Selling: we deliver, the counterparty receives. Each side: the CSD, the agent holding the account there (party 1), its client (party 2).
    expect(instr.DlvrgSttlmPties).toEqual({
      Dpstry: { Id: { AnyBIC: 'DAKVDEFFXXX' } },
      Pty1: { Id: { AnyBIC: 'DEUTDEFFXXX' }, SfkpgAcct: { Id: 'SK-OURS' } },
      Pty2: { Id: { PrtryId: { Id: '529900T8BM49AURSDO55', Issr: 'GLEIF', SchmeNm: 'LEI' } }, LEI: '529900T8BM49AURSDO55' },
    });
    expect(instr.RcvgSttlmPties).toEqual({
      Dpstry: { Id: { AnyBIC: 'DAKVDEFFXXX' } },
      Pty1: { Id: { AnyBIC: 'CHASDEFXXXX' }, SfkpgAcct: { Id: 'SK-THEIRS' } },
      Pty2: { Id: { PrtryId: { Id: '5493001KJTIIGC8Y1R12', Issr: 'GLEIF', SchmeNm: 'LEI' } }, LEI: '5493001KJTIIGC8Y1R12' },
    });
  });

  it('puts our side in the receiving slot for a purchase', () => {
    const instr = parse(renderSese023({ reference: 'P', terms: instructionTermsFor([tradeTerms({ side: 'BUY' })]) })).Document.SctiesSttlmTxInstr;
    expect(instr.SttlmTpAndAddtlParams.SctiesMvmntTp).toBe('RECE');
    expect(instr.SttlmAmt.CdtDbtInd).toBe('DBIT');
    expect(instr.RcvgSttlmPties.Pty1.Id.AnyBIC).toBe('DEUTDEFFXXX');
    expect(instr.RcvgSttlmPties.Pty2.LEI).toBe('529900T8BM49AURSDO55');
    expect(instr.DlvrgSttlmPties.Pty2.LEI).toBe('5493001KJTIIGC8Y1R12');
    // No trade date known: none is invented.
    expect(instr.TradDtls.TradDt).toBeUndefined();
  });

  it('carries the hold indicator (on with reason PTYH for a party hold) and the partial-settlement indicator', () => {
    const terms = instructionTermsFor([tradeTerms()]);
    const held = parse(renderSese023({ reference: 'H', terms, status: { partyHold: true } })).Document.SctiesSttlmTxInstr.SttlmParams;
    expect(held).toEqual({ HldInd: { Ind: 'true', Rsn: { Cd: { Cd: 'PTYH' } } }, SctiesTxTp: { Cd: 'TRAD' }, PrtlSttlmInd: 'PART' });
    const free = parse(renderSese023({ reference: 'F', terms, status: { partyHold: false }, partialSettlement: false })).Document.SctiesSttlmTxInstr.SttlmParams;
    expect(free).toEqual({ HldInd: { Ind: 'false' }, SctiesTxTp: { Cd: 'TRAD' }, PrtlSttlmInd: 'NPAR' });
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

  it.each([
    ['ours', { ours: null }, ['ssis.ours']],
    ['theirs', { theirs: null }, ['ssis.theirs']],
    ['both', { ours: null, theirs: null }, ['ssis.ours', 'ssis.theirs']],
  ] as const)('never renders an instruction with a missing SSI (%s): a 409 naming it', (_which, missing, fields) => {
    const terms = instructionTermsFor([tradeTerms()]);
    let error: unknown;
    try {
      renderSese023({ reference: 'M', terms: { ...terms, ssis: { ...terms.ssis, ...missing } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingSsiError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'SSI_MISSING', errors: fields.map((field) => ({ field, message: 'no standing settlement instruction on file' })) });
  });
});
