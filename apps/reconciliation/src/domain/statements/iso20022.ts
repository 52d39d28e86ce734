/**
 * The ISO 20022 messages a statement may arrive as, and the versions read. A version is listed only
 * once every element path the parser uses was checked against that version's message definition
 * (see apps/reconciliation/data/iso20022/README.md); any other namespace is refused rather than
 * read by guesswork.
 */
import type { StatementType } from '../model';

export const ISO20022_NAMESPACE_PREFIX = 'urn:iso:std:iso:20022:tech:xsd:';

export type StatementMessage = 'semt.002' | 'semt.017' | 'camt.053' | 'semt.044';

export interface MessageDefinition {
  message: StatementMessage;
  /** ISO 20022 name of the message. */
  title: string;
  type: StatementType;
  /** The element under Document. */
  rootElement: string;
  /** Variant 001 versions read (two digits). */
  versions: readonly string[];
  /** The version the renderer writes. */
  renderedVersion: string;
}

export const MESSAGE_DEFINITIONS: Readonly<Record<StatementMessage, MessageDefinition>> = {
  'semt.002': {
    message: 'semt.002',
    title: 'SecuritiesBalanceCustodyReport',
    type: 'HOLDINGS',
    rootElement: 'SctiesBalCtdyRpt',
    versions: ['08', '09', '10', '11', '12'],
    renderedVersion: '11',
  },
  'semt.017': {
    message: 'semt.017',
    title: 'SecuritiesTransactionPostingReport',
    type: 'TRANSACTIONS',
    rootElement: 'SctiesTxPstngRpt',
    versions: ['08', '09', '10', '11', '12', '13'],
    renderedVersion: '12',
  },
  'camt.053': {
    message: 'camt.053',
    title: 'BankToCustomerStatement',
    type: 'CASH',
    rootElement: 'BkToCstmrStmt',
    versions: ['08', '09', '10', '11', '12', '13'],
    renderedVersion: '08',
  },
  // The brief called it a "settlement penalty report"; the registered name is
  // SecuritiesTransactionPenaltiesReport (semt.044.001.01), root element SctiesTxPnltiesRpt.
  'semt.044': {
    message: 'semt.044',
    title: 'SecuritiesTransactionPenaltiesReport',
    type: 'PENALTIES',
    rootElement: 'SctiesTxPnltiesRpt',
    versions: ['01'],
    renderedVersion: '01',
  },
};

/** e.g. `semt.002.001.11` */
export function messageIdentifier(message: StatementMessage, version: string): string {
  return `${message}.001.${version}`;
}

export function namespaceOf(message: StatementMessage, version: string): string {
  return `${ISO20022_NAMESPACE_PREFIX}${messageIdentifier(message, version)}`;
}

/** The message and version a namespace names, or null when it is not one we read. */
export function messageOfNamespace(namespace: string): { definition: MessageDefinition; version: string } | null {
  const match = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.001\.(\d{2})$/.exec(namespace);
  if (match === null) return null;
  const definition = (MESSAGE_DEFINITIONS as Record<string, MessageDefinition | undefined>)[match[1]];
  if (definition === undefined || !definition.versions.includes(match[2])) return null;
  return { definition, version: match[2] };
}

export function supportedNamespaces(): string[] {
  return Object.values(MESSAGE_DEFINITIONS).flatMap((d) => d.versions.map((v) => messageIdentifier(d.message, v)));
}
