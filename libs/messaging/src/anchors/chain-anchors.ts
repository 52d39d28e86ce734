import { EventTypes, Topics } from '@postrade/contracts';
import {
  anchorSignatureProblem,
  compareWithAnchor,
  signAnchor,
  type AnchorCheck,
  type AnchorKey,
  type AnchorSignatureProblem,
  type ChainAnchor,
  type ChainHead,
} from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { createLogger, PeriodicTask } from '@postrade/platform';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { KafkaConnection } from '../kafka/kafka-client';
import type { Outbox } from '../outbox/outbox';
import { readLatestAnchor, type PublishedAnchor } from './anchor-reader';

const log = createLogger('anchors');

/** The chained records of one trail, as anchoring reads them. */
export interface AnchoredChains {
  /** `journal` or `audit`. */
  readonly trail: string;
  /** Every chain's head as committed now. */
  heads(em: EntityManager): Promise<ChainHead[]>;
  /** The stored hash of the record at `sequence` of `chain`, or null when there is none. */
  hashAt(em: EntityManager, chain: string, sequence: number): Promise<string | null>;
}

export interface ChainAnchorsOptions {
  service: string;
  schema: string;
  chains: AnchoredChains;
  key: AnchorKey;
  /** Older keys whose anchors are still checked (after a key change). */
  previousKeys?: AnchorKey[];
  outbox: Outbox;
  transactions: TransactionRunner;
  dataSource: DataSource;
  kafka: KafkaConnection;
  now?: () => Date;
  /** How long a verification waits for Kafka to hand over the latest anchor. */
  readTimeoutMs?: number;
  /** Anchor on this interval from application start to shutdown (`AUDIT_ANCHOR_INTERVAL`); none when unset. */
  intervalMs?: number;
}

/**
 * Publishes a trail's chain heads, signed, to `audit.anchors.v1` through the service's outbox
 * (committed with nothing else, published by the relay like every event), on a timer and on demand;
 * and checks the chains as stored against the latest anchor read back from Kafka.
 */
export class ChainAnchors implements OnApplicationBootstrap, OnApplicationShutdown {
  private task?: PeriodicTask;

  constructor(private readonly options: ChainAnchorsOptions) {}

  /** The message key of this trail's anchors: every anchor of one trail lands on one partition, in order. */
  get messageKey(): string {
    return `${this.options.service}/${this.options.schema}/${this.options.chains.trail}`;
  }

  /** Signs the chain heads as committed now and adds the anchor to the outbox; returns it. */
  async publish(): Promise<ChainAnchor> {
    const { service, schema, chains, key, outbox, transactions } = this.options;
    const anchor = await transactions.run(async (em) => {
      const heads = await chains.heads(em);
      const signed = signAnchor(
        {
          service,
          schema,
          trail: chains.trail,
          heads: heads.map((h) => ({ chain: h.chain, lastSequence: h.lastSequence, lastHash: h.lastHash })),
          anchoredAt: (this.options.now?.() ?? new Date()).toISOString(),
        },
        key,
      );
      await outbox.add(em, { topic: Topics.auditAnchors, key: this.messageKey, type: EventTypes.auditChainsAnchored, data: signed });
      return signed;
    });
    log.info({ service, trail: chains.trail, chains: anchor.heads.length, keyId: anchor.keyId }, 'chain heads anchored');
    return anchor;
  }

  /** The latest anchor of this trail on the topic, whatever its signature. */
  latest(): Promise<PublishedAnchor | null> {
    const { service, schema, chains } = this.options;
    return readLatestAnchor(this.options.kafka, (a) => a.service === service && a.schema === schema && a.trail === chains.trail, this.options.readTimeoutMs);
  }

  /** Compares the chains as stored now with the latest anchor of this trail read from Kafka. */
  async check(): Promise<AnchorCheck> {
    const empty = { anchoredAt: null, keyId: null, partition: null, offset: null, chainsChecked: 0, differences: [], signatureProblem: null, error: null };
    let published: PublishedAnchor | null;
    try {
      published = await this.latest();
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.warn({ trail: this.options.chains.trail, err: error }, 'could not read the latest anchor');
      return { ...empty, ok: false, status: 'UNAVAILABLE', error };
    }
    if (!published) return { ...empty, ok: true, status: 'NONE' };
    const { anchor, partition, offset } = published;
    const found = { ...empty, anchoredAt: typeof anchor.anchoredAt === 'string' ? anchor.anchoredAt : null, keyId: typeof anchor.keyId === 'string' ? anchor.keyId : null, partition, offset };
    const signatureProblem = this.signatureProblemOf(anchor);
    if (signatureProblem) return { ...found, ok: false, status: 'BAD_SIGNATURE', signatureProblem };
    const em = this.options.dataSource.manager;
    const heads = await this.options.chains.heads(em);
    const differences = await compareWithAnchor(anchor, heads, (chain, sequence) => this.options.chains.hashAt(em, chain, sequence));
    return { ...found, ok: differences.length === 0, status: differences.length === 0 ? 'MATCHES' : 'DIFFERS', chainsChecked: anchor.heads.length, differences };
  }

  /** Anchors every `intervalMs` until {@link stop}; a failed run is logged and tried at the next tick. */
  start(intervalMs: number): void {
    this.task ??= new PeriodicTask(`anchor ${this.options.chains.trail} chains`, intervalMs, () => this.publish());
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs !== undefined) this.start(this.options.intervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private signatureProblemOf(anchor: ChainAnchor): AnchorSignatureProblem | null {
    if (!Array.isArray(anchor.heads) || anchor.heads.some((h) => typeof h?.chain !== 'string' || !Number.isSafeInteger(h?.lastSequence))) return 'BAD_SIGNATURE';
    return anchorSignatureProblem(anchor, [this.options.key, ...(this.options.previousKeys ?? [])]);
  }
}
