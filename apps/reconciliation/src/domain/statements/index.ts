/**
 * Statements and blotters in every form the reconciliation service receives (ISO 20022 XML, CSV,
 * JSON), parsed into the model's vocabulary, and rendered back (for the simulator's custodian and
 * for tests). Pure functions: no framework, database or broker.
 */
export { parseStatementXml } from './statement-xml';
export { renderCamt053, renderSemt002, renderSemt017, renderSemt044, renderStatementXml, UNNAMED_PARTY_BIC, type Semt044Parties } from './statement-xml-render';
export { csvStatementId, parseStatementCsv, renderStatementCsv, type StatementCsvHeader } from './statement-csv';
export { parseStatementJson, renderStatementJson, type StatementJson } from './statement-json';
export { BLOTTER_COLUMNS, parseBlotterCsv, parseBlotterJson, renderBlotterCsv, renderBlotterJson, type BlotterCsvHeader, type BlotterJson } from './blotter';
export { LINE_COLUMNS } from './statement-lines';
export { MESSAGE_DEFINITIONS, messageOfNamespace, namespaceOf, supportedNamespaces, type MessageDefinition, type StatementMessage } from './iso20022';
export { DEFAULT_MAX_LINES, MAX_REPORTED_ERRORS, type ParseOptions } from './values';
