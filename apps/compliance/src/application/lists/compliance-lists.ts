import type { EntityManager } from 'typeorm';
import { DomainError, toDecimalString, type Decimal } from '@postrade/kernel';
import type { AuditTrail, TransactionRunner } from '@postrade/persistence';
import { restrictedListEntry, type RestrictedListEntry } from '../../domain/restricted-list';
import type { ListRepository } from '../../persistence/list.repository';

export interface ExposureLimit {
  counterpartyLei: string;
  currency: string;
  limit: string;
}

/** The restricted and watch lists and the exposure limits, maintained by operations; every change audited. */
export class ComplianceLists {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly lists: ListRepository,
    private readonly audit: AuditTrail,
  ) {}

  putRestriction(entry: RestrictedListEntry, actor: string): Promise<RestrictedListEntry> {
    const checked = restrictedListEntry(entry);
    return this.tx.run(async (em) => {
      const before = await this.lists.restriction(em, checked.isin, true);
      await this.lists.saveRestriction(em, checked);
      await this.audit.record(em, [{ actor, action: 'restricted-list.put', entityType: 'isin', entityId: checked.isin, before, after: checked }]);
      return checked;
    });
  }

  deleteRestriction(isin: string, actor: string): Promise<void> {
    return this.tx.run(async (em) => {
      const before = await this.lists.restriction(em, isin, true);
      if (before === null) throw DomainError.notFound('Restricted-list entry', isin);
      await this.lists.deleteRestriction(em, isin);
      await this.audit.record(em, [{ actor, action: 'restricted-list.deleted', entityType: 'isin', entityId: isin, before, after: null }]);
    });
  }

  restrictionsInForce(em: EntityManager, asOf: string, limit: number, afterIsin?: string): Promise<RestrictedListEntry[]> {
    return this.lists.restrictionsInForce(em, asOf, limit, afterIsin);
  }

  putLimit(counterpartyLei: string, currency: string, limit: Decimal, actor: string): Promise<ExposureLimit> {
    if (limit.isNegative()) throw DomainError.invalid('limit', 'must not be negative');
    return this.tx.run(async (em) => {
      const previous = await this.lists.lockLimit(em, counterpartyLei, currency);
      await this.lists.saveLimit(em, counterpartyLei, currency, limit);
      const after: ExposureLimit = { counterpartyLei, currency, limit: toDecimalString(limit) };
      const before = previous === null ? null : { ...after, limit: toDecimalString(previous) };
      await this.audit.record(em, [{ actor, action: 'exposure-limit.put', entityType: 'counterparty', entityId: counterpartyLei, before, after }]);
      return after;
    });
  }
}
