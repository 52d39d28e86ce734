import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { MissingSsiError } from './missing-ssi.error';
import { renderSese020, SESE020_NAMESPACE } from './sese020';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml).RequestPayload;

describe('sese.020 rendering (cancellation request)', () => {
  it('names the instruction to cancel with its movement and payment type, and repeats its details', () => {
    const terms = instructionTermsFor([tradeTerms({ side: 'SELL' })]);
    const xml = renderSese020({ reference: 'CANC-1', instructionReference: 'PTR-1', terms, tradeDate: '2026-11-23', createdAt: '2026-11-24T14:00:00Z' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain(`<Document xmlns="${SESE020_NAMESPACE}">`);
    const { AppHdr, Document } = parse(xml);
    expect(AppHdr).toMatchObject({ BizMsgIdr: 'CANC-1', MsgDefIdr: 'sese.020.001.06', CreDt: '2026-11-24T14:00:00Z', To: { FIId: { FinInstnId: { BICFI: 'DEUTDEFFXXX' } } } });
    const request = Document.SctiesTxCxlReq;
    expect(request.AcctOwnrTxId).toEqual({ SctiesSttlmTxId: { TxId: 'PTR-1', SctiesMvmntTp: 'DELI', Pmt: 'APMT' } });
    expect(request.SfkpgAcct.Id).toBe('SK-OURS');
    expect(request.TxDtls).toMatchObject({
      FinInstrmId: { ISIN: 'DE0007164600' },
      TradDt: { Dt: { Dt: '2026-11-23' } },
      SttlmDt: { Dt: { Dt: '2026-11-25' } },
      SttlmQty: { Qty: { Unit: '1000' } },
      SttlmAmt: { Amt: { '#text': '189261.20', '@_Ccy': 'EUR' }, CdtDbtInd: 'CRDT' },
      DlvrgSttlmPties: { Pty1: { Id: { AnyBIC: 'DEUTDEFFXXX' } }, Pty2: { LEI: '529900T8BM49AURSDO55' } },
      RcvgSttlmPties: { Pty1: { Id: { AnyBIC: 'CHASDEFXXXX' } }, Pty2: { LEI: '5493001KJTIIGC8Y1R12' } },
    });
  });

  it('cancels a free-of-payment purchase whose counterparty SSI is gone: no amount, only our chain', () => {
    const terms = instructionTermsFor([tradeTerms({ settlementType: 'FOP', ssis: { ours: tradeTerms().ssis.ours, theirs: null } })]);
    const request = parse(renderSese020({ reference: 'C', instructionReference: 'P', terms })).Document.SctiesTxCxlReq;
    expect(request.AcctOwnrTxId.SctiesSttlmTxId).toEqual({ TxId: 'P', SctiesMvmntTp: 'RECE', Pmt: 'FREE' });
    expect(request.TxDtls.SttlmAmt).toBeUndefined();
    expect(request.TxDtls.DlvrgSttlmPties).toBeUndefined();
    expect(request.TxDtls.RcvgSttlmPties.Pty1.Id.AnyBIC).toBe('DEUTDEFFXXX');
  });

  it('needs our SSI', () => {
    const terms = instructionTermsFor([tradeTerms()]);
    expect(() => renderSese020({ reference: 'C', instructionReference: 'P', terms: { ...terms, ssis: { ...terms.ssis, ours: null } } })).toThrow(MissingSsiError);
  });
});
