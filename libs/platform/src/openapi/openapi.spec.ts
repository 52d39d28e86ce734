import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createSampleApp } from '../testing/sample-service.fixture';
import { API_KEY_SECURITY_SCHEME } from './openapi';

describe('OpenAPI docs', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it('serves an OpenAPI 3 document at /docs-json without a key', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(response.body.info).toMatchObject({ title: 'Postrade sample', version: '1.0.0' });
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/v1/trades', '/api/v1/trades/{tradeId}/cancel']));
  });

  it('declares the bearer API key scheme and requires it', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(body.components.securitySchemes[API_KEY_SECURITY_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.security).toEqual([{ [API_KEY_SECURITY_SCHEME]: [] }]);
  });

  it('documents the list query parameters', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const names = body.paths['/api/v1/trades'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(names).toEqual(expect.arrayContaining(['limit', 'cursor']));
  });

  it('leaves health and metrics out of the document', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(body.paths).filter((path) => path.startsWith('/health') || path === '/metrics')).toEqual([]);
  });

  it('serves the Swagger UI at /docs without a key', async () => {
    const response = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
