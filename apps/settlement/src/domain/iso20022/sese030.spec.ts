import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { HEAD001_NAMESPACE } from './business-message';
import { MissingSsiError } from './missing-ssi.error';
import { renderSese030, SESE030_NAMESPACE } from './sese030';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml).RequestPayload;
const terms = instructionTermsFor([tradeTerms({ side: 'SELL' })]);

describe('sese.030 rendering (party hold and release)', () => {
  it('asks the custodian to put the instruction on party hold: hold indicator on, reason PTYH', () => {
    const xml = renderSese030({ reference: 'HOLD-1', instructionReference: 'PTR-1', action: 'HOLD', terms, createdAt: '2026-11-24T09:30:00.123Z' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain(`<Document xmlns="${SESE030_NAMESPACE}">`);
    expect(xml).toContain(`<AppHdr xmlns="${HEAD001_NAMESPACE}">`);
    const { AppHdr, Document } = parse(xml);
    expect(AppHdr).toMatchObject({
      Fr: { OrgId: { Id: { OrgId: { LEI: '529900T8BM49AURSDO55' } } } },
      To: { FIId: { FinInstnId: { BICFI: 'DEUTDEFFXXX' } } },
      BizMsgIdr: 'HOLD-1',
      MsgDefIdr: 'sese.030.001.08',
      CreDt: '2026-11-24T09:30:00Z',
    });
    expect(Document.SctiesSttlmCondsModReq).toEqual({
      SfkpgAcct: { Id: 'SK-OURS' },
      ReqDtls: { Ref: { AcctOwnrTxId: 'PTR-1' }, HldInd: { Ind: 'true', Rsn: { Cd: { Cd: 'PTYH' } } } },
    });
  });

  it('asks for the release: hold indicator off', () => {
    const { AppHdr, Document } = parse(renderSese030({ reference: 'RLSE-1', instructionReference: 'PTR-1', action: 'RELEASE', terms }));
    expect(AppHdr.BizMsgIdr).toBe('RLSE-1');
    expect(AppHdr.CreDt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Document.SctiesSttlmCondsModReq.ReqDtls).toEqual({ Ref: { AcctOwnrTxId: 'PTR-1' }, HldInd: { Ind: 'false' } });
  });

  it('needs our SSI: it names the account and the custodian', () => {
    expect(() => renderSese030({ reference: 'H', instructionReference: 'P', action: 'HOLD', terms: { ...terms, ssis: { ...terms.ssis, ours: null } } })).toThrow(MissingSsiError);
  });
});
