import type { InstructionTerms } from '../settlement-instruction';
import { businessMessage, utcInstant } from './business-message';
import { MissingSsiError } from './missing-ssi.error';
import { xmlDocument, type XmlNode } from './xml';

export const SESE030_VERSION = 'sese.030.001.08';
export const SESE030_NAMESPACE = `urn:iso:std:iso:20022:tech:xsd:${SESE030_VERSION}`;

export interface Sese030Input {
  /** Our id of this request (the header's BizMsgIdr); the custodian's sese.031 quotes it as ReqRef. */
  reference: string;
  /** The instruction whose conditions change: our reference of it (AcctOwnrTxId, the sese.023 TxId). */
  instructionReference: string;
  /** HOLD puts the party hold on (hold indicator on, reason PTYH); RELEASE takes it off. */
  action: 'HOLD' | 'RELEASE';
  /** The instruction's terms: our safekeeping account and agent, our legal entity. */
  terms: InstructionTerms;
  /** When the request was created (default now). */
  createdAt?: Date | string;
}

/**
 * A party hold or its release for an instruction the custodian has, as an ISO 20022
 * sese.030.001.08 SecuritiesSettlementConditionsModificationRequest in its business message
 * (head.001 header + Document). Our SSI must be on file: it names the account and the custodian.
 */
export function renderSese030(request: Sese030Input): string {
  const { reference, instructionReference, action, terms } = request;
  const ours = terms.ssis.ours;
  if (ours === null) throw new MissingSsiError(['ssis.ours']);
  const hold: XmlNode[] = action === 'HOLD' ? [['Ind', 'true'], ['Rsn', [['Cd', [['Cd', 'PTYH']]]]]] : [['Ind', 'false']];
  const document: XmlNode = [
    'Document',
    [
      [
        'SctiesSttlmCondsModReq',
        [
          ['SfkpgAcct', [['Id', ours.safekeepingAccount]]],
          ['ReqDtls', [['Ref', [['AcctOwnrTxId', instructionReference]]], ['HldInd', hold]]],
        ],
      ],
    ],
    { xmlns: SESE030_NAMESPACE },
  ];
  const header = { reference, messageDefinition: SESE030_VERSION, fromLei: terms.legalEntityLei, toBic: ours.agentBic, createdAt: utcInstant(request.createdAt) };
  return xmlDocument(businessMessage(header, document));
}
