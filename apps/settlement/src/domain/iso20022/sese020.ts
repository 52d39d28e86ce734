import type { InstructionTerms } from '../settlement-instruction';
import { businessMessage, utcInstant } from './business-message';
import { MissingSsiError } from './missing-ssi.error';
import { settlementParties } from './parties';
import { xmlDocument, type XmlNode } from './xml';

export const SESE020_VERSION = 'sese.020.001.06';
export const SESE020_NAMESPACE = `urn:iso:std:iso:20022:tech:xsd:${SESE020_VERSION}`;

export interface Sese020Input {
  /** Our id of this cancellation request (the header's BizMsgIdr); the custodian's sese.027 quotes it as CxlReqRef. */
  reference: string;
  /** The instruction to cancel: our reference of it (the sese.023 TxId). */
  instructionReference: string;
  /** The terms the instruction was sent with (so the custodian can find and check it). */
  terms: InstructionTerms;
  /** The trade date it was sent with, when known. */
  tradeDate?: string | null;
  /** When the request was created (default now). */
  createdAt?: Date | string;
}

/**
 * A request to cancel an instruction the custodian has, as an ISO 20022 sese.020.001.06
 * SecuritiesTransactionCancellationRequest in its business message (head.001 header + Document):
 * the instruction's reference, movement and payment type, and its details (ISIN, dates, quantity,
 * amount, both settlement chains as far as they are on file). Our SSI must be on file.
 */
export function renderSese020(request: Sese020Input): string {
  const { reference, instructionReference, terms } = request;
  const ours = terms.ssis.ours;
  if (ours === null) throw new MissingSsiError(['ssis.ours']);
  const receiving = terms.direction === 'RECEIVE';
  const quantity: XmlNode = terms.priceType === 'PERCENT_OF_PAR' ? ['FaceAmt', terms.quantity] : ['Unit', terms.quantity];
  const details: XmlNode[] = [['FinInstrmId', [['ISIN', terms.isin]]]];
  if (request.tradeDate) details.push(['TradDt', [['Dt', [['Dt', request.tradeDate]]]]]);
  details.push(['SttlmDt', [['Dt', [['Dt', terms.intendedSettlementDate]]]]]);
  details.push(['SttlmQty', [['Qty', [quantity]]]]);
  if (terms.type === 'DVP') {
    details.push(['SttlmAmt', [['Amt', terms.settlementAmount, { Ccy: terms.currency }], ['CdtDbtInd', terms.cashDirection === 'RECEIVE' ? 'CRDT' : 'DBIT']]]);
  }
  const ourParties = settlementParties(ours, terms.legalEntityLei);
  const theirParties = terms.ssis.theirs === null ? null : settlementParties(terms.ssis.theirs, terms.counterpartyLei);
  const delivering = receiving ? theirParties : ourParties;
  const receivingParties = receiving ? ourParties : theirParties;
  if (delivering !== null) details.push(['DlvrgSttlmPties', delivering]);
  if (receivingParties !== null) details.push(['RcvgSttlmPties', receivingParties]);
  const document: XmlNode = [
    'Document',
    [
      [
        'SctiesTxCxlReq',
        [
          [
            'AcctOwnrTxId',
            [
              [
                'SctiesSttlmTxId',
                [
                  ['TxId', instructionReference],
                  ['SctiesMvmntTp', receiving ? 'RECE' : 'DELI'],
                  ['Pmt', terms.type === 'DVP' ? 'APMT' : 'FREE'],
                ],
              ],
            ],
          ],
          ['SfkpgAcct', [['Id', ours.safekeepingAccount]]],
          ['TxDtls', details],
        ],
      ],
    ],
    { xmlns: SESE020_NAMESPACE },
  ];
  const header = { reference, messageDefinition: SESE020_VERSION, fromLei: terms.legalEntityLei, toBic: ours.agentBic, createdAt: utcInstant(request.createdAt) };
  return xmlDocument(businessMessage(header, document));
}
