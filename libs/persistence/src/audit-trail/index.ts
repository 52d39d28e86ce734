/**
 * The hash-chained audit trail every service that audits shares (compliance, reconciliation):
 * one hash function and genesis, one table shape, one way to append, list, verify and export.
 */
export { AUDIT_GENESIS_HASH, auditChain, auditHash } from './audit-chain';
export type { AuditContent, AuditEntry, AuditRecord } from './audit-chain';
export { AuditTrailRepository } from './audit-trail.repository';
export { apiChainOf, AuditTrail } from './audit-trail';
export { AuditQueries } from './audit-queries';
export type { AuditExport, AuditListFilter, AuditPeriod, AuditRecordResource, AuditVerification } from './audit-queries';
export { createAuditTrailTables } from './audit-trail-tables';
