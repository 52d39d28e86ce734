import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createSampleApp, sampleReadinessChecks } from '../testing/sample-service.fixture';
import { READINESS_CHECKS, ReadinessRegistry } from './readiness';

describe('health endpoints', () => {
  let app: INestApplication;

  afterEach(async () => {
    sampleReadinessChecks.length = 0;
    await app.close();
  });

  it('answers /health/live with 200 and no key', async () => {
    app = await createSampleApp();
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('answers /health/ready with 200 and each check up when every check passes', async () => {
    sampleReadinessChecks.push({ name: 'database', check: async () => undefined }, { name: 'kafka', check: async () => undefined });
    app = await createSampleApp();
    const response = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up', durationMs: expect.any(Number) }, kafka: { status: 'up', durationMs: expect.any(Number) } },
    });
  });

  it('answers /health/ready with 503 naming the check that failed', async () => {
    sampleReadinessChecks.push(
      { name: 'database', check: async () => undefined },
      { name: 'kafka', check: () => Promise.reject(new Error('broker localhost:9092 unreachable')) },
    );
    app = await createSampleApp();
    const response = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      checks: { database: { status: 'up' }, kafka: { status: 'down', error: 'broker localhost:9092 unreachable' } },
    });
  });

  it('answers /health/ready with 200 when no check is registered', async () => {
    app = await createSampleApp();
    await request(app.getHttpServer()).get('/health/ready').expect(200, { status: 'ok', checks: {} });
  });

  it('offers the registry under the READINESS_CHECKS token too', async () => {
    app = await createSampleApp();
    expect(app.get(READINESS_CHECKS)).toBe(app.get(ReadinessRegistry));
  });
});

describe('ReadinessRegistry', () => {
  it('counts a check that does not answer in time as down', async () => {
    jest.useFakeTimers();
    try {
      const registry = new ReadinessRegistry();
      registry.register({ name: 'database', check: () => new Promise(() => undefined) });
      const report = registry.report();
      await jest.advanceTimersByTimeAsync(3000);
      expect(await report).toMatchObject({ status: 'unavailable', checks: { database: { status: 'down', error: 'no answer within 3000 ms' } } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports not ready once the application is shutting down', async () => {
    const registry = new ReadinessRegistry();
    registry.beforeApplicationShutdown();
    expect(await registry.report()).toMatchObject({ status: 'unavailable', checks: { shutdown: { status: 'down' } } });
  });
});
