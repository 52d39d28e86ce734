import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';
import { logCapture } from '../testing/log-capture.fixture';
import { configureLogging } from './logger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation ids over HTTP', () => {
  let app: INestApplication;
  const logs = logCapture();
  const post = () => request(app.getHttpServer()).post('/api/v1/correlation').send({ lei: COUNTERPARTY_LEI });

  beforeAll(async () => {
    configureLogging({ destination: logs.destination });
    app = await createSampleApp({ LOG_LEVEL: 'debug' });
  });
  beforeEach(() => {
    logs.lines.length = 0;
  });
  afterAll(async () => {
    configureLogging({ destination: process.stdout });
    await app.close();
  });

  it("echoes the caller's X-Correlation-Id and gives it to the handler", async () => {
    const response = await post().set('X-Correlation-Id', 'oms-batch-17').expect(201);
    expect(response.headers['x-correlation-id']).toBe('oms-batch-17');
    expect(response.body).toEqual({ correlationId: 'oms-batch-17' });
  });

  it('makes a new UUID when the caller sends none', async () => {
    const response = await post().expect(201);
    expect(response.headers['x-correlation-id']).toMatch(UUID);
    expect(response.body.correlationId).toBe(response.headers['x-correlation-id']);
  });

  it('replaces an id that could inject into logs', async () => {
    const response = await post().set('X-Correlation-Id', '"} {"level":"fatal').expect(201);
    expect(response.headers['x-correlation-id']).toMatch(UUID);
  });

  it('echoes the id on error responses and in the problem', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/trades').set('X-Correlation-Id', 'cid-401').expect(401);
    expect(response.headers['x-correlation-id']).toBe('cid-401');
    expect(response.body.correlationId).toBe('cid-401');
  });

  it('puts service and correlation id on the log lines written while handling the request', async () => {
    await post().set('X-Correlation-Id', 'cid-logs').expect(201);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'info', service: 'sample', logger: 'sample', correlationId: 'cid-logs', msg: 'handling correlation request' }),
    );
  });

  it('logs each finished request at debug with its route and status', async () => {
    await post().set('X-Correlation-Id', 'cid-debug').expect(201);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'debug', correlationId: 'cid-debug', method: 'POST', route: '/api/v1/correlation', status: 201 }),
    );
  });

  it('logs no line per request at info', async () => {
    configureLogging({ level: 'info' });
    try {
      await request(app.getHttpServer()).get('/api/v1/ping').expect(200);
      expect(logs.lines).toEqual([]);
    } finally {
      configureLogging({ level: 'debug' });
    }
  });
});
