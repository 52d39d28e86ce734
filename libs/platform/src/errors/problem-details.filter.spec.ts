import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { configureLogging } from '../logging/logger';
import { logCapture } from '../testing/log-capture.fixture';
import { bearer, COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';

describe('errors as RFC 9457 problem details', () => {
  let app: INestApplication;
  const logs = logCapture();

  beforeAll(async () => {
    app = await createSampleApp({ LOG_LEVEL: 'error', HTTP_BODY_LIMIT: '1kb' });
    configureLogging({ destination: logs.destination });
  });
  afterAll(async () => {
    configureLogging({ destination: process.stdout });
    await app.close();
  });

  it.each([
    ['invalid', 400, 'validation-error'],
    ['not-found', 404, 'not-found'],
    ['conflict', 409, 'conflict'],
    ['unprocessable', 422, 'unprocessable-content'],
    ['forbidden', 403, 'forbidden'],
  ])('answers a DomainError of kind %s with %i', async (kind, status, slug) => {
    const response = await request(app.getHttpServer()).get(`/api/v1/domain-errors/${kind}`).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: `https://postrade.dev/problems/${slug}`,
      status,
      instance: `/api/v1/domain-errors/${kind}`,
    });
    expect(typeof response.body.title).toBe('string');
    expect(typeof response.body.detail).toBe('string');
  });

  it("carries a DomainError's field errors and code", async () => {
    const invalid = await request(app.getHttpServer()).get('/api/v1/domain-errors/invalid').expect(400);
    expect(invalid.body.errors).toEqual([{ field: 'settlementDate', message: 'is not a settlement business day' }]);
    const conflict = await request(app.getHttpServer()).get('/api/v1/domain-errors/conflict').expect(409);
    expect(conflict.body).toMatchObject({ detail: 'version 2 is stale', code: 'stale-version' });
    expect(conflict.body.errors).toBeUndefined();
  });

  it('answers an unexpected error with 500, a generic detail and no stack, and logs it', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/bug').set('X-Correlation-Id', 'bug-report-1').expect(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'https://postrade.dev/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
      instance: '/api/v1/bug',
      correlationId: 'bug-report-1',
    });
    expect(response.text).not.toContain('hunter2');
    expect(response.text).not.toContain('at ');
    const logged = logs.lines.find((line) => line.correlationId === 'bug-report-1');
    expect(logged).toMatchObject({ level: 'error', service: 'sample', err: { message: expect.stringContaining('hunter2') } });
    expect(logged?.err.stack).toContain('SampleController');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/nothing-here').set(bearer('dev-ops')).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/not-found', status: 404 });
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/trades')
      .set(bearer('dev-ops'))
      .set('Content-Type', 'application/json')
      .send('{"sourceTradeId": "T-1",')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/malformed-json', status: 400, instance: '/api/v1/trades' });
    expect(response.body.detail).toMatch(/^The request body is not valid JSON/);
  });

  it('answers a body over HTTP_BODY_LIMIT with 413 problem+json', async () => {
    const trade = { sourceTradeId: 'T-1', quantity: '1', counterparty: { lei: COUNTERPARTY_LEI }, note: 'x'.repeat(2048) };
    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).send(trade).expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'https://postrade.dev/problems/content-too-large',
      status: 413,
      detail: 'The request body is larger than the limit of 1kb.',
    });
  });

  it('accepts a body under the limit', async () => {
    const trade = { sourceTradeId: 'T-1', quantity: '1', counterparty: { lei: COUNTERPARTY_LEI }, note: 'x'.repeat(512) };
    await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).send(trade).expect(201);
  });
});
