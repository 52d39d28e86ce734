import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';

const validTrade = { sourceTradeId: 'T-1', quantity: '1000', counterparty: { lei: COUNTERPARTY_LEI } };

describe('request bodies: JSON only', () => {
  let app: INestApplication;
  const post = () => request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops'));

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it('refuses a form-encoded body with 415 problem+json, before any handler sees it', async () => {
    const response = await post().type('form').send('sourceTradeId=T-1&quantity=1000&counterparty[lei]=5493001KJTIIGC8Y1R12').expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'https://postrade.dev/problems/unsupported-media-type',
      status: 415,
      detail: 'The request body must be JSON (Content-Type: application/json), not application/x-www-form-urlencoded.',
    });
  });

  it('refuses a multipart or plain-text body the same way', async () => {
    await post().field('sourceTradeId', 'T-1').expect(415);
    await post().set('Content-Type', 'text/plain').send(JSON.stringify(validTrade)).expect(415);
  });

  it('refuses a body sent without any Content-Type', async () => {
    const response = await post().set('Content-Type', '').send(Buffer.from(JSON.stringify(validTrade))).expect(415);
    expect(response.body.detail).toMatch(/must be JSON/);
  });

  it('accepts JSON, with or without a charset, and a +json media type', async () => {
    await post().send(validTrade).expect(201);
    await post().set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(validTrade)).expect(201);
    await post().set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(validTrade)).expect(201);
  });

  it('lets requests without a body through, whatever they declare', async () => {
    await request(app.getHttpServer()).get('/api/v1/ping').set('Content-Type', 'text/plain').expect(200);
  });
});

describe('request bodies: a route that takes another media type', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createSampleApp({}, { nonJsonBodyRoutes: [{ method: 'POST', path: '/api/v1/trades', mediaTypes: ['application/xml'] }] });
  });
  afterAll(() => app.close());

  it('lets exactly that media type through to that route, and still refuses it elsewhere and other types there', async () => {
    // Past the gate, the route's own parsing decides (here: no parser, so the DTO finds nothing: 400).
    await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).set('Content-Type', 'application/xml').send('<a/>').expect(400);
    await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).set('Content-Type', 'text/plain').send('<a/>').expect(415);
    await request(app.getHttpServer()).post('/api/v1/ping').set(bearer('dev-ops')).set('Content-Type', 'application/xml').send('<a/>').expect(415);
  });
});
