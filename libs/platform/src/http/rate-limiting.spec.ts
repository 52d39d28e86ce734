import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, createSampleApp } from '../testing/sample-service.fixture';

describe('rate limiting', () => {
  let app: INestApplication;

  beforeEach(async () => {
    app = await createSampleApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterEach(() => app.close());

  it('answers 429 problem+json with Retry-After once a caller exceeds RATE_LIMIT_PER_MINUTE', async () => {
    for (let i = 0; i < 3; i++) await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('dev-ops')).expect(200);
    const response = await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('dev-ops')).expect(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/too-many-requests', status: 429 });
    expect(response.body.detail).toContain('More than 3 requests in a minute');
  });

  it('counts a caller across all endpoints of the service', async () => {
    await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('dev-ops')).expect(200);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops')).expect(200);
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-ops')).expect(201);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops')).expect(429);
  });

  it('counts each API key separately', async () => {
    for (let i = 0; i < 3; i++) await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops')).expect(200);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops')).expect(429);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-supervisor')).expect(200);
  });

  it('never limits health and metrics', async () => {
    for (let i = 0; i < 6; i++) {
      await request(app.getHttpServer()).get('/health/live').expect(200);
      await request(app.getHttpServer()).get('/health/ready').expect(200);
      await request(app.getHttpServer()).get('/metrics').expect(200);
    }
  });
});
