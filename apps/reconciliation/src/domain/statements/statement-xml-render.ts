/**
 * Statements as the ISO 20022 messages a custodian, bank or CSD sends: what the platform
 * simulator's custodian posts, and what the tests read back. Each writes the least that its
 * message definition requires plus what `parseStatementXml` reads, so that rendering and parsing
 * give back the same statement (lines in the same order); apps/reconciliation/data/iso20022/xsd
 * holds the schemas the output is checked against.
 */
import { Decimal, DomainError, toDecimalString } from '@postrade/kernel';
import { FREE_OF_PAYMENT_CURRENCY, type CashStatement, type HoldingsStatement, type PenaltiesStatement, type Statement, type TransactionsStatement } from '../model';
import { MESSAGE_DEFINITIONS, namespaceOf, type StatementMessage } from './iso20022';

type XmlNode = [name: string, content: string | XmlNode[], attributes?: Record<string, string>];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Writes nested elements with two-space indentation into `out` (an array, joined once: documents get large). */
function write(out: string[], node: XmlNode, depth: number): void {
  const [name, content, attributes] = node;
  const pad = '  '.repeat(depth);
  let attrs = '';
  if (attributes !== undefined) for (const [key, value] of Object.entries(attributes)) attrs += ` ${key}="${escapeXml(value)}"`;
  if (typeof content === 'string') {
    out.push(`${pad}<${name}${attrs}>${escapeXml(content)}</${name}>`);
    return;
  }
  out.push(`${pad}<${name}${attrs}>`);
  for (const child of content) write(out, child, depth + 1);
  out.push(`${pad}</${name}>`);
}

function documentOf(message: StatementMessage, body: XmlNode[]): string {
  const definition = MESSAGE_DEFINITIONS[message];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(out, ['Document', [[definition.rootElement, body]], { xmlns: namespaceOf(message, definition.renderedVersion) }], 0);
  return `${out.join('\n')}\n`;
}

const magnitude = (value: Decimal) => toDecimalString(value.abs());
const isNegative = (value: Decimal) => value.isNegative() && !value.isZero();
const singlePage: XmlNode = ['Pgntn', [['PgNb', '1'], ['LastPgInd', 'true']]];

/** Consecutive runs of items with the same key: grouping without reordering, so that a round trip keeps the line order. */
function runs<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const out: T[][] = [];
  let last: string | undefined;
  for (const item of items) {
    const k = key(item);
    if (out.length === 0 || k !== last) out.push([]);
    out[out.length - 1].push(item);
    last = k;
  }
  return out;
}

/** semt.002.001.11 SecuritiesBalanceCustodyReport: complete, settled positions, one aggregate balance per ISIN. */
export function renderSemt002(statement: HoldingsStatement): string {
  return documentOf('semt.002', [
    singlePage,
    [
      'StmtGnlDtls',
      [
        ['StmtId', statement.statementId],
        ['StmtDtTm', [['Dt', statement.asOf]]],
        ['Frqcy', [['Cd', 'DAIL']]],
        ['UpdTp', [['Cd', 'COMP']]],
        ['StmtBsis', [['Cd', 'SETT']]],
        ['ActvtyInd', 'true'],
        ['SubAcctInd', 'false'],
      ],
    ],
    ['SfkpgAcct', [['Id', statement.account]]],
    ...statement.lines.map(
      (line): XmlNode => [
        'BalForAcct',
        [
          ['FinInstrmId', [['ISIN', line.isin]]],
          [
            'AggtBal',
            [
              ['ShrtLngInd', isNegative(line.quantity) ? 'SHOR' : 'LONG'],
              ['Qty', [['Qty', [['Qty', [['Unit', magnitude(line.quantity)]]]]]]],
            ],
          ],
        ],
      ],
    ),
  ]);
}

/**
 * semt.017.001.12 SecuritiesTransactionPostingReport: the postings of one day, under their ISIN.
 * A free-of-payment line (currency XXX, amount 0) is written without a posting amount.
 */
export function renderSemt017(statement: TransactionsStatement): string {
  const instruments = runs(statement.lines, (line) => line.isin).map(
    (postings): XmlNode => [
      'FinInstrmDtls',
      [
        ['FinInstrmId', [['ISIN', postings[0].isin]]],
        ...postings.map((line): XmlNode => {
          const free = line.currency === FREE_OF_PAYMENT_CURRENCY && line.amount.isZero();
          const receiving = line.direction === 'RECEIVE';
          const details: XmlNode[] = [
            ['TxActvty', [['Cd', 'SETT']]],
            ['SctiesMvmntTp', receiving ? 'RECE' : 'DELI'],
            ['Pmt', free ? 'FREE' : 'APMT'],
            ['PstngQty', [['Qty', [['Unit', toDecimalString(line.quantity)]]]]],
          ];
          // Receiving securities against payment debits cash; delivering credits it.
          if (!free) details.push(['PstngAmt', [['Amt', toDecimalString(line.amount), { Ccy: line.currency }], ['CdtDbt', receiving ? 'DBIT' : 'CRDT']]]);
          details.push(['FctvSttlmDt', [['Dt', line.settlementDate]]]);
          return ['Tx', [['AcctOwnrTxId', line.instructionId ?? 'NONREF'], ['AcctSvcrTxId', line.reference], ['TxDtls', details]]];
        }),
      ],
    ],
  );
  return documentOf('semt.017', [
    singlePage,
    [
      'StmtGnlDtls',
      [
        ['StmtId', statement.statementId],
        ['StmtPrd', [['FrDtToDt', [['FrDt', statement.asOf], ['ToDt', statement.asOf]]]]],
        ['StmtBsis', [['Cd', 'SETT']]],
        ['ActvtyInd', statement.lines.length > 0 ? 'true' : 'false'],
        ['SubAcctInd', 'false'],
      ],
    ],
    ['SfkpgAcct', [['Id', statement.account]]],
    ...instruments,
  ]);
}

/** camt.053.001.08 BankToCustomerStatement: one statement of the cash account, a closing booked balance per currency. */
export function renderCamt053(statement: CashStatement): string {
  if (statement.lines.length === 0) {
    throw DomainError.invalid('lines', 'a camt.053 statement carries at least one balance: a cash statement needs a line per currency');
  }
  return documentOf('camt.053', [
    ['GrpHdr', [['MsgId', statement.statementId], ['CreDtTm', `${statement.asOf}T23:59:59`]]],
    [
      'Stmt',
      [
        ['Id', statement.statementId],
        ['Acct', [['Id', [['Othr', [['Id', statement.account]]]]]]],
        ...statement.lines.map(
          (line): XmlNode => [
            'Bal',
            [
              ['Tp', [['CdOrPrtry', [['Cd', 'CLBD']]]]],
              ['Amt', magnitude(line.amount), { Ccy: line.currency }],
              ['CdtDbtInd', isNegative(line.amount) ? 'DBIT' : 'CRDT'],
              ['Dt', [['Dt', statement.asOf]]],
            ],
          ],
        ),
      ],
    ],
  ]);
}

export interface Semt044Parties {
  /** The CSD sending the report (AcctSvcr). */
  accountServicerBic?: string;
  /** The participant the penalties are for (PtyId). */
  participantBic?: string;
}

/** A BIC-shaped placeholder for a party the statement does not name. */
export const UNNAMED_PARTY_BIC = 'NOTPROVIDED';

/**
 * semt.044.001.01 SecuritiesTransactionPenaltiesReport: penalties grouped by day and currency
 * (each group one Pnlty with its net amount), each naming our instruction (AcctOwnrTxId) and
 * whether we pay (DBIT) or receive (CRDT).
 */
export function renderSemt044(statement: PenaltiesStatement, parties: Semt044Parties = {}): string {
  const servicer = parties.accountServicerBic ?? UNNAMED_PARTY_BIC;
  const participant: XmlNode = ['PtyId', [['Id', [['Id', [['AnyBIC', parties.participantBic ?? UNNAMED_PARTY_BIC]]]]]]];
  let sequence = 0;
  const penalties = runs(statement.lines, (line) => `${line.date} ${line.currency}`).map((group): XmlNode => {
    const net = group.reduce((sum, line) => (line.direction === 'RECEIVE' ? sum.plus(line.amount) : sum.minus(line.amount)), new Decimal(0));
    return [
      'Pnlty',
      [
        ['Ccy', group[0].currency],
        ['Dt', [['Dt', group[0].date]]],
        participant,
        [
          'PnltyPerCtrPty',
          [
            participant,
            ['AggtdNetAmt', [['Amt', magnitude(net), { Ccy: group[0].currency }], ['CdtDbt', isNegative(net) ? 'DBIT' : 'CRDT']]],
            ...group.map((line): XmlNode => {
              sequence += 1;
              return [
                'PnltyDtls',
                [
                  ['Id', [['MktInfrstrctrId', `PNL${String(sequence).padStart(9, '0')}`]]],
                  ['Tp', 'SEFP'],
                  ['CmptdAmt', [['Amt', toDecimalString(line.amount), { Ccy: line.currency }], ['CdtDbt', line.direction === 'PAY' ? 'DBIT' : 'CRDT']]],
                  ['RltdTx', [['Ref', [['AcctOwnrTxId', line.instructionId]]]]],
                ],
              ];
            }),
          ],
        ],
      ],
    ];
  });
  return documentOf('semt.044', [
    ['RptGnlDtls', [['RptId', statement.statementId], ['RptDt', [['Dt', statement.asOf]]], ['ActvtyInd', statement.lines.length > 0 ? 'true' : 'false']]],
    ['SfkpgAcct', [['Id', statement.account]]],
    ['AcctSvcr', [['Id', [['AnyBIC', servicer]]]]],
    ...penalties,
  ]);
}

/** The statement as the ISO 20022 message of its type. */
export function renderStatementXml(statement: Statement): string {
  switch (statement.type) {
    case 'HOLDINGS':
      return renderSemt002(statement);
    case 'TRANSACTIONS':
      return renderSemt017(statement);
    case 'CASH':
      return renderCamt053(statement);
    case 'PENALTIES':
      return renderSemt044(statement);
  }
}
