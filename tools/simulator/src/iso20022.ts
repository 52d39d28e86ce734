/**
 * The custodian's ISO 20022 status messages as settlement's status-messages endpoint reads them:
 * a sese.025 settlement confirmation (in full, or partial with AddtlParams/PrtlSttlm PAIN, where the
 * sese.025.001.09 schema has it) and a sese.024
 * status advice (matched, failing with an MT548 reason, rejected), each in a head.003 payload whose
 * AppHdr BizMsgIdr is the update id.
 */
function envelope(messageId: string, definition: string, document: string, createdAt: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<RequestPayload xmlns="urn:iso:std:iso:20022:tech:xsd:head.003.001.01">
  <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.01">
    <Fr><FIId><FinInstnId><BICFI>SIMCGB22XXX</BICFI></FinInstnId></FIId></Fr>
    <To><FIId><FinInstnId><BICFI>SIMOGB22XXX</BICFI></FinInstnId></FIId></To>
    <BizMsgIdr>${messageId}</BizMsgIdr>
    <MsgDefIdr>${definition}</MsgDefIdr>
    <CreDt>${createdAt}</CreDt>
  </AppHdr>
  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:${definition}">
${document}
  </Document>
</RequestPayload>
`;
}

export interface Sese025 {
  messageId: string;
  reference: string;
  isin: string;
  /** Units for shares, face amount for bonds. */
  quantity: string;
  faceAmount: boolean;
  /** Absent for a free-of-payment settlement. */
  amount: { value: string; currency: string } | null;
  effectiveDate: string;
  partial: boolean;
  createdAt: string;
}

export function sese025(m: Sese025): string {
  const quantity = m.faceAmount ? `<FaceAmt>${m.quantity}</FaceAmt>` : `<Unit>${m.quantity}</Unit>`;
  const document = `    <SctiesSttlmTxConf>
      <TxIdDtls><AcctOwnrTxId>${m.reference}</AcctOwnrTxId></TxIdDtls>
${m.partial ? '      <AddtlParams><PrtlSttlm>PAIN</PrtlSttlm></AddtlParams>\n' : ''}      <TradDtls><FctvSttlmDt><Dt><Dt>${m.effectiveDate}</Dt></Dt></FctvSttlmDt></TradDtls>
      <FinInstrmId><ISIN>${m.isin}</ISIN></FinInstrmId>
      <QtyAndAcctDtls><SttldQty><Qty>${quantity}</Qty></SttldQty></QtyAndAcctDtls>
${m.amount ? `      <SttldAmt><Amt Ccy="${m.amount.currency}">${m.amount.value}</Amt></SttldAmt>\n` : ''}    </SctiesSttlmTxConf>`;
  return envelope(m.messageId, 'sese.025.001.09', document, m.createdAt);
}

/** REJECTED with the custodian's reason code (e.g. SAFE: unknown safekeeping account), or none given (NORE). */
export type Sese024Status = { kind: 'MATCHED' } | { kind: 'REJECTED'; reasonCode?: string } | { kind: 'FAILING'; reasonCode: 'LACK' | 'MONY' | 'CLAC' | 'CMON' };

export function sese024(messageId: string, reference: string, isin: string, status: Sese024Status, createdAt: string): string {
  const body =
    status.kind === 'MATCHED'
      ? '<MtchgSts><Mtchd/></MtchgSts>'
      : status.kind === 'REJECTED'
        ? `<PrcgSts><Rjctd>${status.reasonCode ? `<Rsn><Cd><Cd>${status.reasonCode}</Cd></Cd></Rsn>` : '<NoSpcfdRsn>NORE</NoSpcfdRsn>'}</Rjctd></PrcgSts>`
        : `<SttlmSts><Flng><Rsn><Cd><Cd>${status.reasonCode}</Cd></Cd></Rsn></Flng></SttlmSts>`;
  const document = `    <SctiesSttlmTxStsAdvc>
      <TxId><AcctOwnrTxId>${reference}</AcctOwnrTxId></TxId>
      ${body}
      <TxDtls><FinInstrmId><ISIN>${isin}</ISIN></FinInstrmId></TxDtls>
    </SctiesSttlmTxStsAdvc>`;
  return envelope(messageId, 'sese.024.001.10', document, createdAt);
}

/**
 * The custodian's answer to settlement's cancellation request (sese.020): a sese.027 quoting the
 * request's id (CxlReqRef, the request's BizMsgIdr) and the instruction, with the status Canc.
 */
export function sese027(messageId: string, requestId: string, reference: string, createdAt: string): string {
  const document = `    <SctiesTxCxlReqStsAdvc>
      <CxlReqRef><Id>${requestId}</Id></CxlReqRef>
      <TxId><AcctOwnrTxId><SctiesSttlmTxId><TxId>${reference}</TxId><SctiesMvmntTp>DELI</SctiesMvmntTp><Pmt>APMT</Pmt></SctiesSttlmTxId></AcctOwnrTxId></TxId>
      <PrcgSts><Canc><NoSpcfdRsn>NORE</NoSpcfdRsn></Canc></PrcgSts>
    </SctiesTxCxlReqStsAdvc>`;
  return envelope(messageId, 'sese.027.001.06', document, createdAt);
}

/**
 * The custodian's answer to settlement's hold or release request (sese.030): a sese.031 quoting the
 * request's id (ReqRef) and echoing the instruction and the hold indicator asked for, completed —
 * or rejected with a reason code when `rejectedFor` names one (e.g. LATE: after the cut-off).
 */
export function sese031(messageId: string, requestId: string, reference: string, hold: boolean, createdAt: string, rejectedFor?: string): string {
  const indicator = hold ? '<HldInd><Ind>true</Ind><Rsn><Cd><Cd>PTYH</Cd></Cd></Rsn></HldInd>' : '<HldInd><Ind>false</Ind></HldInd>';
  const status = rejectedFor === undefined ? '<Cmpltd/>' : `<Rjctd><Rsn><Cd><Cd>${rejectedFor}</Cd></Cd></Rsn></Rjctd>`;
  const document = `    <SctiesSttlmCondModStsAdvc>
      <ReqRef><Id>${requestId}</Id></ReqRef>
      <ReqDtls><Ref><AcctOwnrTxId>${reference}</AcctOwnrTxId></Ref>${indicator}</ReqDtls>
      <PrcgSts>${status}</PrcgSts>
    </SctiesSttlmCondModStsAdvc>`;
  return envelope(messageId, 'sese.031.001.08', document, createdAt);
}
