import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DlqHeaders, EventTypes, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { TradeCaptureModule } from '../src/trade-capture.module';

const UPSTREAM = { Authorization: 'Bearer dev-upstream' };
const ONE_MEBIBYTE = 1024 * 1024;
const HUGE_QUANTITY = '9'.repeat(400_000);

/**
 * Bad input at trade-capture's edges, over REST and Kafka: refused where it enters, naming what is
 * wrong, before anything parses a decimal or opens a transaction.
 */
describe('trade-capture refuses oversized and malformed input at its edges', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TradeCaptureModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('trade-capture-edge-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  function submission(overrides: Record<string, unknown> = {}) {
    return {
      sourceSystem: 'OMS1',
      sourceTradeId: `T-${randomUUID()}`,
      tradeDate: '2026-11-20',
      side: 'BUY',
      isin: 'US0378331005',
      quantity: '1000',
      price: '189.25',
      currency: 'USD',
      counterpartyLei: '5493001KJTIIGC8Y1R12',
      legalEntityLei: '529900T8BM49AURSDO55',
      book: 'EDGE',
      ...overrides,
    };
  }

  async function tradesFrom(sourceTradeId: string): Promise<unknown[]> {
    return db.query('select trade_id from trades where source_trade_id = $1', [sourceTradeId]);
  }

  it('answers a 400,000-digit quantity with 400 naming quantity (the body is under the 1 MiB limit)', async () => {
    const body = submission({ quantity: HUGE_QUANTITY });
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(ONE_MEBIBYTE);

    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(UPSTREAM).send(body).expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ field: 'quantity', message: 'must have at most 18 digits before the decimal point and 12 after' }]);
    expect(response.text).not.toContain('9'.repeat(100));
    expect(await tradesFrom(body.sourceTradeId)).toEqual([]);
  });

  it('answers a price with a 13th decimal with 400 naming price', async () => {
    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(UPSTREAM).send(submission({ price: '189.2500000000001' })).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['price']);
  });

  it('refuses a form-encoded trade with 415 problem+json', async () => {
    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(UPSTREAM).type('form').send(submission()).expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('https://postrade.dev/problems/unsupported-media-type');
  });

  it('dead-letters a reported trade with a 400,000-digit quantity, naming quantity, and captures nothing', async () => {
    const data = { action: 'NEW', version: 1, ...submission({ quantity: HUGE_QUANTITY }) };
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(Topics.tradesInbound, 'OMS1'), type: EventTypes.tradeReported, time: new Date().toISOString(), subject: data.sourceTradeId });
    await publisher.send([{ topic: Topics.tradesInbound, key: data.sourceTradeId, value: JSON.stringify(data), headers }]);

    const seen = await readTopic(kafka, Topics.tradeCaptureDlq, (all) => all.some((m) => m.key === data.sourceTradeId), 60_000);

    const dead = seen.find((m) => m.key === data.sourceTradeId)!;
    expect(dead.headers[DlqHeaders.error]).toContain('quantity: must have at most 18 digits before the decimal point and 12 after');
    expect(await tradesFrom(data.sourceTradeId)).toEqual([]);
  });

  it('dead-letters a report whose ce_id is not a UUID, at parse time', async () => {
    const data = { action: 'NEW', version: 1, ...submission() };
    const valid = toHeaders({ id: randomUUID(), source: sourceFor(Topics.tradesInbound, 'OMS1'), type: EventTypes.tradeReported, time: new Date().toISOString(), subject: data.sourceTradeId });
    await publisher.send([{ topic: Topics.tradesInbound, key: data.sourceTradeId, value: JSON.stringify(data), headers: { ...valid, ce_id: 'OMS1-42' } }]);

    const seen = await readTopic(kafka, Topics.tradeCaptureDlq, (all) => all.some((m) => m.key === data.sourceTradeId), 60_000);

    const dead = seen.find((m) => m.key === data.sourceTradeId)!;
    expect(dead.headers[DlqHeaders.error]).toMatch(/ce_id.*must be a UUID/);
    expect(await tradesFrom(data.sourceTradeId)).toEqual([]);
  });
});
