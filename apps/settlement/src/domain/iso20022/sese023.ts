import type { InstructionTerms } from '../settlement-instruction';
import type { Ssi } from '../settlement-trade';

export const SESE023_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:sese.023.001.09';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A tiny element writer: nested elements, escaped text, two-space indentation. */
type Node = [name: string, content: string | Node[], attributes?: Record<string, string>];

function write(node: Node, depth = 0): string {
  const [name, content, attributes] = node;
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(attributes ?? {})
    .map(([k, v]) => ` ${k}="${escape(v)}"`)
    .join('');
  if (typeof content === 'string') return `${pad}<${name}${attrs}>${escape(content)}</${name}>`;
  return [`${pad}<${name}${attrs}>`, ...content.map((child) => write(child, depth + 1)), `${pad}</${name}>`].join('\n');
}

function party(ssi: Ssi | null, lei: string): Node[] {
  // Depository = the place of settlement (CSD); party 1 = the custodian/agent holding the account.
  if (ssi === null) return [['Pty1', [['LEI', lei]]]];
  return [
    ['Dpstry', [['Id', [['AnyBIC', ssi.placeOfSettlement]]]]],
    ['Pty1', [['Id', [['AnyBIC', ssi.agentBic]]], ['LEI', lei], ['SfkpgAcct', [['Id', ssi.safekeepingAccount]]]]],
  ];
}

/**
 * The instruction as an ISO 20022 sese.023.001.09 SecuritiesSettlementTransactionInstruction from
 * our side (the account owner): our safekeeping and cash accounts, the delivering and receiving
 * parties from both SSIs, quantity (units, or face amount for a bond), and for DVP the settlement
 * amount with its credit/debit indicator and any accrued interest inside it.
 */
export function renderSese023(instruction: { reference: string; terms: InstructionTerms }): string {
  const { reference, terms } = instruction;
  const ours = party(terms.ssis.ours, terms.legalEntityLei);
  const theirs = party(terms.ssis.theirs, terms.counterpartyLei);
  const receiving = terms.direction === 'RECEIVE';
  const quantity: Node = terms.priceType === 'PERCENT_OF_PAR' ? ['FaceAmt', terms.quantity] : ['Unit', terms.quantity];
  const accounts: Node[] = [['SttlmQty', [['Qty', [quantity]]]]];
  if (terms.ssis.ours) {
    accounts.push(['SfkpgAcct', [['Id', terms.ssis.ours.safekeepingAccount]]]);
    accounts.push(['CshAcct', [['Prtry', terms.ssis.ours.cashAccount]]]);
  }
  const body: Node[] = [
    ['TxId', reference],
    [
      'SttlmTpAndAddtlParams',
      [
        ['SctiesMvmntTp', receiving ? 'RECE' : 'DELI'],
        ['Pmt', terms.type === 'DVP' ? 'APMT' : 'FREE'],
      ],
    ],
    ['TradDtls', [['SttlmDt', [['Dt', [['Dt', terms.intendedSettlementDate]]]]]]],
    ['FinInstrmId', [['ISIN', terms.isin]]],
    ['QtyAndAcctDtls', accounts],
    ['SttlmParams', [['SctiesTxTp', [['Cd', terms.netted ? 'NETT' : 'TRAD']]]]],
    ['DlvrgSttlmPties', receiving ? theirs : ours],
    ['RcvgSttlmPties', receiving ? ours : theirs],
  ];
  if (terms.type === 'DVP') {
    body.push([
      'SttlmAmt',
      [
        ['Amt', terms.settlementAmount, { Ccy: terms.currency }],
        ['CdtDbtInd', terms.cashDirection === 'RECEIVE' ? 'CRDT' : 'DBIT'],
      ],
    ]);
    if (!/^0(\.0+)?$/.test(terms.accruedInterest)) {
      body.push(['OthrAmts', [['AcrdIntrstAmt', [['Amt', terms.accruedInterest, { Ccy: terms.currency }], ['CdtDbtInd', terms.cashDirection === 'RECEIVE' ? 'CRDT' : 'DBIT']]]]]);
    }
  }
  const document: Node = ['Document', [['SctiesSttlmTxInstr', body]], { xmlns: SESE023_NAMESPACE }];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${write(document)}\n`;
}
