import type { DataSource } from 'typeorm';
import { DomainError, LocalDate } from '@postrade/kernel';
import { AuditChainVerifier, type AuditRecord } from '../../domain/audit-chain';
import type { AuditTrailRepository } from '../../persistence/audit-trail.repository';

export interface AuditVerification {
  ok: boolean;
  recordsChecked: number;
  firstBadRecordId: string | null;
}

export interface AuditPeriod {
  /** A date (from its start) or an instant; inclusive. */
  from?: string;
  /** A date (to its end) or an instant; exclusive for an instant, inclusive for a date. */
  to?: string;
}

const VERIFY_PAGE = 1000;

/** Reading, verifying and exporting the audit trail (auditors and supervisors). */
export class AuditQueries {
  constructor(
    private readonly db: DataSource,
    private readonly records: AuditTrailRepository,
  ) {}

  list(filter: AuditPeriod & { entityId?: string; afterSequence?: number; limit: number }): Promise<AuditRecord[]> {
    return this.records.list(this.db.manager, { ...filter, ...instants(filter) });
  }

  /** Recomputes the whole chain in sequence order and names the first record that does not fit. */
  async verify(): Promise<AuditVerification> {
    const verifier = new AuditChainVerifier();
    let after = 0;
    for (;;) {
      const page = await this.records.page(this.db.manager, after, VERIFY_PAGE);
      const bad = verifier.accept(page);
      if (bad !== null) return { ok: false, recordsChecked: verifier.checked, firstBadRecordId: bad };
      if (page.length < VERIFY_PAGE) return { ok: true, recordsChecked: verifier.checked, firstBadRecordId: null };
      after = page[page.length - 1].sequence;
    }
  }

  /** Every record of a period, in chain order, with its hashes so that the export can be checked on its own. */
  async export(period: AuditPeriod): Promise<{ from: string | null; to: string | null; exportedAt: string; records: AuditRecord[] }> {
    const records: AuditRecord[] = [];
    let afterSequence = 0;
    for (;;) {
      const page = await this.records.list(this.db.manager, { ...instants(period), afterSequence, limit: VERIFY_PAGE });
      records.push(...page);
      if (page.length < VERIFY_PAGE) break;
      afterSequence = page[page.length - 1].sequence;
    }
    return { from: period.from ?? null, to: period.to ?? null, exportedAt: new Date().toISOString(), records };
  }
}

function instants(period: AuditPeriod): { from?: string; to?: string } {
  const asInstant = (value: string | undefined, field: string, endOfDay: boolean): string | undefined => {
    if (value === undefined) return undefined;
    if (LocalDate.isValid(value)) return endOfDay ? `${LocalDate.addDays(value, 1)}T00:00:00Z` : `${value}T00:00:00Z`;
    if (Number.isNaN(Date.parse(value))) throw DomainError.invalid(field, 'must be a date (YYYY-MM-DD) or an ISO 8601 instant');
    return value;
  };
  return { from: asInstant(period.from, 'from', false), to: asInstant(period.to, 'to', true) };
}
