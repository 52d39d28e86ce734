import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, createSampleApp } from '../testing/sample-service.fixture';

describe('/metrics', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it('serves Prometheus text without a key, with process metrics', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toContain('# TYPE http_server_request_duration_seconds histogram');
  });

  it('times requests by method, route template and status', async () => {
    await request(app.getHttpServer()).post('/api/v1/trades/T-42/cancel').set(bearer('dev-ops')).expect(201);
    await request(app.getHttpServer()).post('/api/v1/trades/T-43/cancel').set(bearer('dev-auditor')).expect(403);
    await request(app.getHttpServer()).get('/no/such/path/T-42').expect(404);
    const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{method="POST",route="\/api\/v1\/trades\/:tradeId\/cancel",status="201"\} 1/);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{method="POST",route="\/api\/v1\/trades\/:tradeId\/cancel",status="403"\} 1/);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toContain('T-42');
  });
});
