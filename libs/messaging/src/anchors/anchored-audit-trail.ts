import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AnchorCheck, ChainAnchor } from '@postrade/kernel';
import {
  AuditQueries,
  AuditTrailRepository,
  TransactionRunner,
  type AuditExport,
  type AuditListFilter,
  type AuditPeriod,
  type AuditRecordResource,
  type AuditVerification,
} from '@postrade/persistence';
import { AUDIT_TRAIL_READER, type AuditTrailReader } from '@postrade/platform';
import type { KafkaConnection } from '../kafka/kafka-client';
import { KAFKA_CONNECTION } from '../nest/messaging.module';
import { Outbox } from '../outbox/outbox';
import { anchorConfigFromEnv } from './anchor-config';
import { ChainAnchors, type AnchoredChains } from './chain-anchors';

/** The audit trail's chains as anchoring reads them (trail `audit`). */
export function auditTrailChains(records: AuditTrailRepository): AnchoredChains {
  return {
    trail: 'audit',
    heads: (em) => records.chainHeads(em),
    hashAt: (em, chain, sequence) => records.hashAt(em, chain, sequence),
  };
}

/** An audit verification that also compared the chains with the latest anchor (`ok` needs both). */
export type AnchoredAuditVerification = AuditVerification & { anchor: AnchorCheck };

/**
 * A service's audit trail as platform's `AuditController` reads it, anchored: `verify` recomputes
 * every chain against its head in the database (edits, insertions, and records removed from a
 * chain's end) and then against the latest anchor on Kafka (a rewrite with every hash and head
 * recomputed, or records removed up to and past the anchored position); `anchor` publishes the
 * heads now. Bind it as `AUDIT_TRAIL_READER`.
 */
export class AnchoredAuditTrail {
  constructor(
    private readonly queries: AuditQueries,
    private readonly anchors: ChainAnchors,
  ) {}

  list(filter: AuditListFilter): Promise<AuditRecordResource[]> {
    return this.queries.list(filter);
  }

  export(period: AuditPeriod): Promise<AuditExport> {
    return this.queries.export(period);
  }

  async verify(): Promise<AnchoredAuditVerification> {
    const chains = await this.queries.verify();
    const anchor = await this.anchors.check();
    return { ...chains, ok: chains.ok && anchor.ok, anchor };
  }

  anchor(): Promise<ChainAnchor> {
    return this.anchors.publish();
  }
}

/**
 * The providers that anchor a service's audit trail: its `ChainAnchors` (timer from
 * `AUDIT_ANCHOR_INTERVAL`, key from `AUDIT_ANCHOR_KEY`, read at start-up) and `AUDIT_TRAIL_READER`
 * bound to an {@link AnchoredAuditTrail}. The service provides `AuditTrailRepository` and
 * `AuditQueries`, and imports `MessagingModule.forService` (the outbox and Kafka connection).
 */
export function anchoredAuditTrailProviders(service: string, schema: string): Provider[] {
  return [
    {
      provide: ChainAnchors,
      useFactory: (transactions: TransactionRunner, dataSource: DataSource, outbox: Outbox, kafka: KafkaConnection, records: AuditTrailRepository) => {
        const { key, intervalMs } = anchorConfigFromEnv(process.env);
        return new ChainAnchors({ service, schema, chains: auditTrailChains(records), key, intervalMs, outbox, transactions, dataSource, kafka });
      },
      inject: [TransactionRunner, DataSource, Outbox, KAFKA_CONNECTION, AuditTrailRepository],
    },
    {
      provide: AUDIT_TRAIL_READER,
      // Typed, so that the compiler checks the anchored trail against the reader the shared controller expects.
      useFactory: (queries: AuditQueries, anchors: ChainAnchors): AuditTrailReader => new AnchoredAuditTrail(queries, anchors),
      inject: [AuditQueries, ChainAnchors],
    },
  ];
}
