import type { InstructionStatus } from '../instruction-status';
import type { InstructionTerms } from '../settlement-instruction';
import { requireSsis } from './missing-ssi.error';
import { settlementParties } from './parties';
import { xmlDocument, type XmlNode } from './xml';

export const SESE023_VERSION = 'sese.023.001.09';
export const SESE023_NAMESPACE = `urn:iso:std:iso:20022:tech:xsd:${SESE023_VERSION}`;

/** What sese.023 renders: an instruction as stored (its trade date and party hold, when known, go into the message). */
export interface Sese023Input {
  /** Our instruction reference: the account owner's transaction id (TxId). */
  reference: string;
  terms: InstructionTerms;
  /** The trade date T2S matches on (a net instruction's latest trade date). Omitted when unknown. */
  tradeDate?: string | null;
  /** A party hold on the instruction is sent as the hold indicator (on, reason PTYH). */
  status?: Pick<InstructionStatus, 'partyHold'>;
  /** Whether the depository may settle it in parts (PART, the default) or only in full (NPAR). */
  partialSettlement?: boolean;
}

const sign = (terms: InstructionTerms) => (terms.cashDirection === 'RECEIVE' ? 'CRDT' : 'DBIT');

/**
 * The instruction as an ISO 20022 sese.023.001.09 SecuritiesSettlementTransactionInstruction from
 * our side (the account owner), carrying what T2S matches on: trade and settlement dates, ISIN,
 * quantity (units, or face amount for a bond), for DVP the settlement amount and currency with its
 * credit/debit indicator (accrued interest inside it), both settlement chains (depository, agent,
 * client), the partial-settlement indicator and the hold indicator. Both SSIs must be on file:
 * without one the instruction is never rendered (MissingSsiError, a 409 naming the missing SSI).
 */
export function renderSese023(instruction: Sese023Input): string {
  const { reference, terms } = instruction;
  const ssis = requireSsis(terms);
  const ours = settlementParties(ssis.ours, terms.legalEntityLei);
  const theirs = settlementParties(ssis.theirs, terms.counterpartyLei);
  const receiving = terms.direction === 'RECEIVE';
  const quantity: XmlNode = terms.priceType === 'PERCENT_OF_PAR' ? ['FaceAmt', terms.quantity] : ['Unit', terms.quantity];
  const tradeDetails: XmlNode[] = [];
  if (instruction.tradeDate) tradeDetails.push(['TradDt', [['Dt', [['Dt', instruction.tradeDate]]]]]);
  tradeDetails.push(['SttlmDt', [['Dt', [['Dt', terms.intendedSettlementDate]]]]]);
  const hold = instruction.status?.partyHold === true;
  const body: XmlNode[] = [
    ['TxId', reference],
    [
      'SttlmTpAndAddtlParams',
      [
        ['SctiesMvmntTp', receiving ? 'RECE' : 'DELI'],
        ['Pmt', terms.type === 'DVP' ? 'APMT' : 'FREE'],
      ],
    ],
    ['TradDtls', tradeDetails],
    ['FinInstrmId', [['ISIN', terms.isin]]],
    [
      'QtyAndAcctDtls',
      [
        ['SttlmQty', [['Qty', [quantity]]]],
        ['SfkpgAcct', [['Id', ssis.ours.safekeepingAccount]]],
        ['CshAcct', [['Prtry', ssis.ours.cashAccount]]],
      ],
    ],
    [
      'SttlmParams',
      [
        ['HldInd', hold ? [['Ind', 'true'], ['Rsn', [['Cd', [['Cd', 'PTYH']]]]]] : [['Ind', 'false']]],
        ['SctiesTxTp', [['Cd', terms.netted ? 'NETT' : 'TRAD']]],
        ['PrtlSttlmInd', instruction.partialSettlement === false ? 'NPAR' : 'PART'],
      ],
    ],
    ['DlvrgSttlmPties', receiving ? theirs : ours],
    ['RcvgSttlmPties', receiving ? ours : theirs],
  ];
  if (terms.type === 'DVP') {
    body.push([
      'SttlmAmt',
      [
        ['Amt', terms.settlementAmount, { Ccy: terms.currency }],
        ['CdtDbtInd', sign(terms)],
      ],
    ]);
    if (!/^0(\.0+)?$/.test(terms.accruedInterest)) {
      body.push(['OthrAmts', [['AcrdIntrstAmt', [['Amt', terms.accruedInterest, { Ccy: terms.currency }], ['CdtDbtInd', sign(terms)]]]]]);
    }
  }
  return xmlDocument(['Document', [['SctiesSttlmTxInstr', body]], { xmlns: SESE023_NAMESPACE }]);
}
