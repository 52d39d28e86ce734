import type { Ssi } from '../settlement-trade';
import type { XmlNode } from './xml';

/**
 * One side's settlement chain as ISO 20022 settlement parties (SMPG practice): the depository
 * (the CSD, the SSI's place of settlement), party 1 the CSD participant that holds the account
 * there (the SSI's agent, with its safekeeping account) and party 2 its client, the legal entity
 * itself, named by its LEI (the identification choice carries it as a proprietary id issued by GLEIF).
 */
export function settlementParties(ssi: Ssi, lei: string): XmlNode[] {
  return [
    ['Dpstry', [['Id', [['AnyBIC', ssi.placeOfSettlement]]]]],
    ['Pty1', [['Id', [['AnyBIC', ssi.agentBic]]], ['SfkpgAcct', [['Id', ssi.safekeepingAccount]]]]],
    ['Pty2', [['Id', [['PrtryId', [['Id', lei], ['Issr', 'GLEIF'], ['SchmeNm', 'LEI']]]]], ['LEI', lei]]],
  ];
}
