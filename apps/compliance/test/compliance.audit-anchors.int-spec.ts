import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes } from 'kafkajs';
import { Topics } from '@postrade/contracts';
import {
  AnchoredAuditTrail,
  auditTrailChains,
  ChainAnchors,
  createKafka,
  DEV_ANCHOR_KEY,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  Outbox,
  OutboxRelay,
} from '@postrade/messaging';
import { AuditQueries, AuditTrail, AuditTrailRepository, serviceDatabaseUrl, TransactionRunner, type AuditEntry } from '@postrade/persistence';
import { eventually, useScratchSchema } from '@postrade/testing';
import type { DataSource } from 'typeorm';
import { complianceDatabase } from '../src/persistence/compliance.database';
import { complianceMigrations } from '../src/persistence/migrations';

const entry = (entityId: string): AuditEntry => ({ actor: 'dev-ops', action: 'limit.put', entityType: 'counterparty', entityId, before: null, after: { limit: '1000000.00' } });

describe('the audit trail anchored outside the database (real Postgres and Kafka)', () => {
  // A compliance schema of this test's own: its trail is cut short below, and its anchors name it.
  const scratch = useScratchSchema(complianceDatabase, 'compliance_anchors', complianceMigrations);
  const kafka = kafkaConnectionFromEnv('compliance-anchors-test');
  const records = new AuditTrailRepository();
  const audit = new AuditTrail(records);
  let db: DataSource;
  let transactions: TransactionRunner;
  let relay: OutboxRelay;
  let anchors: ChainAnchors;
  let trail: AnchoredAuditTrail;

  const record = (chain: string, n: number) => transactions.run((em) => audit.record(em, Array.from({ length: n }, () => entry(randomUUID())), chain));

  beforeAll(async () => {
    await scratch.migrate();
    db = await scratch.connect();
    transactions = new TransactionRunner(db);
    const outbox = new Outbox('compliance', scratch.schema);
    relay = new OutboxRelay(new KafkajsEventPublisher(kafka), { databaseUrl: serviceDatabaseUrl(scratch.database), schema: scratch.schema });
    await relay.start();
    anchors = new ChainAnchors({ service: 'compliance', schema: scratch.schema, chains: auditTrailChains(records), key: DEV_ANCHOR_KEY, outbox, transactions, dataSource: db, kafka });
    trail = new AnchoredAuditTrail(new AuditQueries(db, records), anchors);
  });

  afterAll(async () => {
    await relay?.stop();
  });

  it('publishes to an append-only topic: deleted by age only, never compacted, kept without limit', async () => {
    const admin = createKafka(kafka).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: Topics.auditAnchors }] });
      const config = Object.fromEntries(resources[0].configEntries.map((c) => [c.configName, c.configValue]));
      expect(config).toMatchObject({ 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' });
    } finally {
      await admin.disconnect();
    }
  });

  it('anchors every chain on demand and verifies against the anchor', async () => {
    await record('api:1', 3);
    await record('trade-capture.trades.v1:0', 2);
    const anchor = await trail.anchor();
    expect(anchor).toMatchObject({ service: 'compliance', schema: scratch.schema, trail: 'audit', keyId: DEV_ANCHOR_KEY.id });
    expect(anchor.heads.map((h) => [h.chain, h.lastSequence])).toEqual([
      ['api:1', 3],
      ['main', 0], // the trail's one chain from before chains were sharded, empty here
      ['trade-capture.trades.v1:0', 2],
    ]);
    await relay.flush();
    await eventually(() => anchors.latest(), (latest) => latest?.anchor.signature === anchor.signature, 30_000, 'the anchor on audit.anchors.v1');
    expect(await trail.verify()).toMatchObject({ ok: true, recordsChecked: 5, firstBadRecordId: null, anchor: { ok: true, status: 'MATCHES', chainsChecked: 3 } });
  });

  it('finds the last records removed from a chain, whether or not its head in the database was moved back with them', async () => {
    const { rows: last } = await scratch.admin.query(
      `select record_id, chain_sequence::int, previous_hash from ${scratch.schema}.audit_records where chain_id = 'api:1' and chain_sequence >= 2 order by chain_sequence`,
    );
    expect(last).toHaveLength(2);
    await scratch.admin.query(`delete from ${scratch.schema}.audit_records where record_id = any($1::uuid[])`, [last.map((r: { record_id: string }) => r.record_id)]);

    // The head still says 3: the chain's own verification sees that its end is gone (issue 18).
    const headKept = await trail.verify();
    expect(headKept).toMatchObject({ ok: false, recordsChecked: 3, firstBadRecordId: null });
    expect(headKept.anchor.differences).toEqual([
      { chain: 'api:1', problem: 'TRUNCATED', anchoredSequence: 3, anchoredHash: expect.any(String), currentSequence: 3, hashFound: null },
    ]);

    // The head moved back to the record left last: the database agrees with itself, only the anchor tells.
    await scratch.admin.query(`update ${scratch.schema}.audit_chains set last_sequence = 1, last_hash = $1 where chain_id = 'api:1'`, [last[0].previous_hash]);
    expect(await new AuditQueries(db, records).verify()).toEqual({ ok: true, recordsChecked: 3, firstBadRecordId: null });
    const headMoved = await trail.verify();
    expect(headMoved).toMatchObject({ ok: false, recordsChecked: 3, firstBadRecordId: null, anchor: { ok: false, status: 'DIFFERS' } });
    expect(headMoved.anchor.differences).toEqual([
      { chain: 'api:1', problem: 'TRUNCATED', anchoredSequence: 3, anchoredHash: expect.any(String), currentSequence: 1, hashFound: null },
    ]);
  });

  it('anchors on a timer once the application starts, until it stops', async () => {
    const timed = new ChainAnchors({
      service: 'compliance',
      schema: scratch.schema,
      chains: auditTrailChains(records),
      key: DEV_ANCHOR_KEY,
      outbox: new Outbox('compliance', scratch.schema),
      transactions,
      dataSource: db,
      kafka,
      intervalMs: 200,
    });
    const before = (await anchors.latest())?.offset;
    timed.onApplicationBootstrap();
    try {
      await eventually(
        async () => {
          await relay.flush();
          return anchors.latest();
        },
        (latest) => latest !== null && latest.offset !== before,
        30_000,
        'an anchor published by the timer',
      );
    } finally {
      await timed.onApplicationShutdown();
    }
  });
});
