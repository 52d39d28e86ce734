import type { XmlNode } from './xml';

export const HEAD001_VERSION = 'head.001.001.02';
export const HEAD001_NAMESPACE = `urn:iso:std:iso:20022:tech:xsd:${HEAD001_VERSION}`;

export interface BusinessHeader {
  /** Our id of this message (BizMsgIdr): the custodian's status advice quotes it back (CxlReqRef, ReqRef). */
  reference: string;
  /** The message definition, e.g. `sese.030.001.08`. */
  messageDefinition: string;
  /** The sender: our legal entity, by its LEI. */
  fromLei: string;
  /** The receiver: our agent (the custodian) by its BIC. */
  toBic: string;
  /** When the message was created, an ISO instant in UTC (`...Z`). */
  createdAt: string;
}

/**
 * A business message as a custodian link carries it: the ISO 20022 business application header
 * (head.001.001.02) naming sender, receiver, our message id and the message definition, and the
 * Document. The same `RequestPayload` shape as the custodian's status messages that settlement reads.
 */
export function businessMessage(header: BusinessHeader, document: XmlNode): XmlNode {
  const appHdr: XmlNode = [
    'AppHdr',
    [
      ['Fr', [['OrgId', [['Id', [['OrgId', [['LEI', header.fromLei]]]]]]]]],
      ['To', [['FIId', [['FinInstnId', [['BICFI', header.toBic]]]]]]],
      ['BizMsgIdr', header.reference],
      ['MsgDefIdr', header.messageDefinition],
      ['CreDt', header.createdAt],
    ],
    { xmlns: HEAD001_NAMESPACE },
  ];
  return ['RequestPayload', [appHdr, document]];
}

/** An instant as the header's ISONormalisedDateTime: UTC, whole seconds, `Z`. */
export function utcInstant(at: Date | string = new Date()): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new Error(`createdAt "${String(at)}" is not an instant`);
  return `${date.toISOString().slice(0, 19)}Z`;
}
