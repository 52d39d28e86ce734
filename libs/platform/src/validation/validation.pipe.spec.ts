import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';

const validTrade = { sourceTradeId: 'T-1', quantity: '1000', counterparty: { lei: COUNTERPARTY_LEI } };

describe('request validation', () => {
  let app: INestApplication;
  const submit = (body: object) => request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).send(body);

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it('lists each invalid field, with its message, as a 400 validation problem', async () => {
    const response = await submit({ ...validTrade, sourceTradeId: '', quantity: 'lots' }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/validation-error', status: 400 });
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'sourceTradeId', message: 'should not be empty' },
        { field: 'quantity', message: 'must be a number string' },
      ]),
    );
    expect(response.body.detail).toBe('Invalid fields: sourceTradeId, quantity.');
  });

  it('names nested fields by their path', async () => {
    const response = await submit({ ...validTrade, counterparty: { lei: 'SHORT' } }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'counterparty.lei', message: 'must be longer than or equal to 20 characters' }]);
  });

  it('reports a missing nested object', async () => {
    const response = await submit({ sourceTradeId: 'T-1', quantity: '1' }).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('counterparty');
  });

  it('rejects an unknown field, naming it', async () => {
    const response = await submit({ ...validTrade, price: '189.25' }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'price', message: 'is not a known field' }]);
  });

  it('rejects an unknown field inside a nested object, naming its path', async () => {
    const response = await submit({ ...validTrade, counterparty: { lei: COUNTERPARTY_LEI, name: 'ACME' } }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'counterparty.name', message: 'is not a known field' }]);
  });

  it('passes a valid body to the handler as the DTO', async () => {
    const response = await submit(validTrade).expect(201);
    expect(response.body.trade).toEqual(validTrade);
  });
});

describe('list query (?limit=&cursor=)', () => {
  let app: INestApplication;
  const list = (query: string) => request(app.getHttpServer()).get(`/api/v1/trades${query}`).set(bearer('dev-ops'));

  beforeAll(async () => {
    app = await createSampleApp();
  });
  afterAll(() => app.close());

  it('defaults limit to 50', async () => {
    expect((await list('').expect(200)).body.limit).toBe(50);
  });

  it('converts limit to a number', async () => {
    expect((await list('?limit=500').expect(200)).body.limit).toBe(500);
  });

  it.each(['0', '501', '2.5', 'ten'])('rejects limit=%s naming limit', async (limit) => {
    const response = await list(`?limit=${limit}`).expect(400);
    expect(response.body.errors.length).toBeGreaterThan(0);
    expect(response.body.errors.every((error: { field: string }) => error.field === 'limit')).toBe(true);
  });

  it('answers a page with items and nextCursor, and reads the cursor back', async () => {
    const first = await list('').expect(200);
    expect(first.body).toMatchObject({ items: [{ position: null }], nextCursor: expect.any(String) });
    const second = await list(`?cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items).toEqual([{ position: { after: 'T-1' } }]);
  });

  it('rejects a cursor it did not issue with 400 naming cursor', async () => {
    const response = await list('?cursor=not!a!cursor').expect(400);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/validation-error', errors: [{ field: 'cursor' }] });
  });

  it('rejects unknown query parameters', async () => {
    const response = await list('?colour=blue').expect(400);
    expect(response.body.errors).toEqual([{ field: 'colour', message: 'is not a known field' }]);
  });
});
