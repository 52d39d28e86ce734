import type { DataSource } from 'typeorm';
import { DomainError, LocalDate, verifyChains } from '@postrade/kernel';
import { auditChain, type AuditRecord } from './audit-chain';
import type { AuditTrailRepository } from './audit-trail.repository';

/** What a verification of every chain found (`firstBadRecordId` null when nothing, or only a chain's end, is missing). */
export interface AuditVerification {
  ok: boolean;
  recordsChecked: number;
  firstBadRecordId: string | null;
}

/** A period of the trail by `recorded_at`, as the API's `from` and `to` give it. */
export interface AuditPeriod {
  /** A date (from its start) or an instant; inclusive. */
  from?: string;
  /** A date (to its end) or an instant; exclusive for an instant, inclusive for a date. */
  to?: string;
}

/** What a list of the trail is about: one entity, a period, and where the previous page ended. */
export type AuditListFilter = AuditPeriod & { entityId?: string; afterSequence?: number; limit: number };

/** A period of the trail as exported: every record of it, with chains and hashes, and when it was taken. */
export interface AuditExport {
  from: string | null;
  to: string | null;
  exportedAt: string;
  records: AuditRecordResource[];
}

const VERIFY_PAGE = 1000;

/** An audit record as the API shows it: its chain, not its position there (the chain's own order follows `sequence`). */
export type AuditRecordResource = Omit<AuditRecord, 'chainSequence'>;

const resourceOf = ({ chainSequence: _position, ...record }: AuditRecord): AuditRecordResource => record;

/**
 * Reading, verifying and exporting a service's audit trail (auditors and supervisors). Its
 * `list`, `verify` and `export` are what platform's `AuditController` calls through
 * `AUDIT_TRAIL_READER`: `{ provide: AUDIT_TRAIL_READER, useExisting: AuditQueries }`.
 */
export class AuditQueries {
  constructor(
    private readonly db: DataSource,
    private readonly records: AuditTrailRepository,
  ) {}

  /** Records in the trail's global order (`sequence`), after `afterSequence` (the cursor of the previous page). */
  async list(filter: AuditListFilter): Promise<AuditRecordResource[]> {
    return (await this.records.list(this.db.manager, { ...filter, ...instants(filter) })).map(resourceOf);
  }

  /**
   * Recomputes every chain of the trail (one per consumed partition, the `api:<n>` chains of the
   * REST actions, and in compliance `main`, its one chain from before), each on its own in its own
   * order, up to its head as it stood when verification began. `recordsChecked` counts the
   * records of all chains; `firstBadRecordId` names the earliest (by `sequence`) record that was
   * edited, removed (the one after it) or inserted, and `ok` is also false, with no record to
   * name, when a chain lost its last records.
   */
  async verify(): Promise<AuditVerification> {
    const em = this.db.manager;
    const heads = await this.records.chainHeads(em);
    const result = await verifyChains(auditChain, heads, (chain, after, through, limit) => this.records.chainPage(em, chain, after, through, limit), {
      pageSize: VERIFY_PAGE,
      earlier: (a, b) => a.sequence < b.sequence,
    });
    return { ok: result.ok, recordsChecked: result.checked, firstBadRecordId: result.firstBad?.recordId ?? null };
  }

  /**
   * Every record of a period in the trail's global order, which within each chain is the chain's
   * order, with its chain and hashes, so that the export can be checked on its own chain by chain.
   */
  async export(period: AuditPeriod): Promise<AuditExport> {
    const records: AuditRecordResource[] = [];
    let afterSequence = 0;
    for (;;) {
      const page = await this.records.list(this.db.manager, { ...instants(period), afterSequence, limit: VERIFY_PAGE });
      records.push(...page.map(resourceOf));
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
