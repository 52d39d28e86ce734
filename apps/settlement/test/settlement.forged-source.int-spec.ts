import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders } from '@postrade/contracts';
import { sampleComplianceDecision } from '@postrade/contracts/testing';
import { kafkaConnectionFromEnv, KafkajsEventPublisher } from '@postrade/messaging';
import { eventually } from '@postrade/testing';
import { SettlementModule } from '../src/settlement.module';

/**
 * No producer speaks for another service (docs/security.md): the broker's ACLs refuse settlement's
 * write to compliance.decisions.v1 (tools/runtime/test/kafka-security.int-spec.ts), and a consumer
 * refuses an event there whose ce_source is not compliance even when it got onto the topic.
 */
describe('settlement, consuming compliance.decisions.v1', () => {
  let app: INestApplication;
  let db: DataSource;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('dead-letters a compliance.released whose ce_source is not compliance, with the reason', async () => {
    const tradeId = randomUUID();
    const data = sampleComplianceDecision({ tradeId, outcome: 'RELEASED' });
    // A forged event that got onto the topic anyway (here the administrator, a super user, puts it there).
    const admin = new KafkajsEventPublisher(kafkaConnectionFromEnv('security-test'));
    try {
      await admin.send([
        {
          topic: Topics.complianceDecisions,
          key: tradeId,
          value: JSON.stringify(data),
          headers: toHeaders({ id: randomUUID(), source: 'settlement', type: EventTypes.complianceReleased, time: new Date().toISOString(), subject: tradeId, data }),
        },
      ]);
    } finally {
      await admin.disconnect();
    }
    const letters = await eventually(
      () => db.query('select consumer, topic, error from dead_letters where message_key = $1', [tradeId]) as Promise<{ consumer: string; topic: string; error: string }[]>,
      (rows) => rows.length > 0,
      60_000,
      'the forged decision dead-lettered',
    );
    expect(letters).toEqual([
      {
        consumer: 'settlement',
        topic: Topics.complianceDecisions,
        error: 'forged source: ce_source "settlement" may not publish on compliance.decisions.v1: only "compliance" (optionally "<name>/<system>" for a gateway) may',
      },
    ]);
  });
});
