import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createSampleApp } from '../testing/sample-service.fixture';

describe('security headers', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it("sends helmet's headers and hides the framework", async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/ping').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends them on error responses too', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/trades').expect(401);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
