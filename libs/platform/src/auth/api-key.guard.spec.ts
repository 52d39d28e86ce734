import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { configureLogging } from '../logging/logger';
import { logCapture } from '../testing/log-capture.fixture';
import { bearer, COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';

const validTrade = { sourceTradeId: 'T-1', quantity: '1000', counterparty: { lei: COUNTERPARTY_LEI } };

describe('API key authentication and roles', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createSampleApp({ POSTRADE_API_KEYS: `prod-oms-key=upstream,prod-cp-key=counterparty:${COUNTERPARTY_LEI}` });
  });
  afterAll(() => app.close());

  it('answers 401 problem+json with WWW-Authenticate when no key is sent', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/trades').expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({
      type: 'https://postrade.dev/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      instance: '/api/v1/trades',
    });
    expect(response.body.detail).toContain('Authorization: Bearer');
  });

  it('answers 401 for an unknown key', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('no-such-key')).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ status: 401, detail: 'The API key is not recognised.' });
  });

  it('answers 401 for an Authorization header that is not a bearer token', async () => {
    await request(app.getHttpServer()).get('/api/v1/trades').set('Authorization', 'Basic ZGV2LW9wczp4').expect(401);
  });

  it('answers 403 when the role is not one the endpoint names', async () => {
    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-custodian')).send(validTrade).expect(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'https://postrade.dev/problems/forbidden', status: 403 });
  });

  it('lets the roles an endpoint names call it', async () => {
    await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-upstream')).send(validTrade).expect(201);
    await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-ops')).send(validTrade).expect(201);
  });

  it('opens reads without a named role to ops, supervisor and auditor only', async () => {
    for (const key of ['dev-ops', 'dev-supervisor', 'dev-auditor']) {
      await request(app.getHttpServer()).get('/api/v1/trades').set(bearer(key)).expect(200);
    }
    for (const key of ['dev-upstream', 'dev-custodian', `dev-cp-${COUNTERPARTY_LEI}`]) {
      await request(app.getHttpServer()).get('/api/v1/trades').set(bearer(key)).expect(403);
    }
  });

  it('treats HEAD as a read', async () => {
    await request(app.getHttpServer()).head('/api/v1/trades').set(bearer('dev-auditor')).expect(200);
  });

  it('opens writes without a named role to ops and supervisor only', async () => {
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-ops')).expect(201);
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-supervisor')).expect(201);
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-auditor')).expect(403);
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-upstream')).expect(403);
  });

  it('lets any valid key call an @AnyAuthenticated endpoint, but not a missing one', async () => {
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-custodian')).expect(200);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer(`dev-cp-${COUNTERPARTY_LEI}`)).expect(200);
    await request(app.getHttpServer()).get('/api/v1/me').expect(401);
  });

  it('needs no key for an @Public endpoint', async () => {
    await request(app.getHttpServer()).get('/api/v1/ping').expect(200, { pong: true });
  });

  it('binds a dev counterparty key to the LEI in its name', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/me').set(bearer(`dev-cp-${COUNTERPARTY_LEI}`)).expect(200);
    expect(response.body).toEqual({ id: `dev-cp-${COUNTERPARTY_LEI}`, role: 'counterparty', lei: COUNTERPARTY_LEI });
  });

  it('rejects a dev counterparty key whose LEI is not 20 alphanumerics', async () => {
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-cp-5493001KJT')).expect(401);
    await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-cp-5493001KJTIIGC8Y1R1!')).expect(401);
  });

  it('tells the two dev ops keys apart, as two people', async () => {
    const first = await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops')).expect(200);
    const second = await request(app.getHttpServer()).get('/api/v1/me').set(bearer('dev-ops-2')).expect(200);
    expect(first.body).toEqual({ id: 'dev-ops', role: 'ops' });
    expect(second.body).toEqual({ id: 'dev-ops-2', role: 'ops' });
  });

  it('accepts keys from POSTRADE_API_KEYS with ids that do not reveal the key', async () => {
    const upstream = await request(app.getHttpServer()).get('/api/v1/me').set(bearer('prod-oms-key')).expect(200);
    expect(upstream.body.role).toBe('upstream');
    expect(upstream.body.id).toMatch(/^upstream-[0-9a-f]{12}$/);
    const counterparty = await request(app.getHttpServer()).get('/api/v1/me').set(bearer('prod-cp-key')).expect(200);
    expect(counterparty.body).toMatchObject({ role: 'counterparty', lei: COUNTERPARTY_LEI });
  });

  it('hands the principal to the handler', async () => {
    const response = await request(app.getHttpServer()).post('/api/v1/trades').set(bearer('dev-upstream')).send(validTrade).expect(201);
    expect(response.body.by).toEqual({ id: 'dev-upstream', role: 'upstream' });
  });
});

describe('development keys', () => {
  const REAL_OPS_KEY = 'real-ops-key-of-at-least-32-characters';

  for (const setting of [undefined, '0']) {
    it(`are refused when POSTRADE_DEV_KEYS is ${setting ?? 'unset'}`, async () => {
      const app = await createSampleApp({ POSTRADE_DEV_KEYS: setting, POSTRADE_API_KEYS: `${REAL_OPS_KEY}=ops` });
      try {
        await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('dev-ops')).expect(401);
        await request(app.getHttpServer()).get('/api/v1/me').set(bearer(`dev-cp-${COUNTERPARTY_LEI}`)).expect(401);
        await request(app.getHttpServer()).get('/api/v1/trades').set(bearer(REAL_OPS_KEY)).expect(200);
      } finally {
        await app.close();
      }
    });
  }
});

describe('requests turned away are logged', () => {
  let app: INestApplication;
  const logs = logCapture();

  beforeAll(async () => {
    app = await createSampleApp({ LOG_LEVEL: 'warn' });
    configureLogging({ destination: logs.destination });
  });
  afterAll(async () => {
    configureLogging({ destination: process.stdout });
    await app.close();
  });

  it('logs a 401 with the path and reason, never the key', async () => {
    await request(app.getHttpServer()).get('/api/v1/trades').set(bearer('no-such-key')).set('X-Correlation-Id', 'corr-401').expect(401);
    const line = logs.lines.find((l) => l.correlationId === 'corr-401');
    expect(line).toMatchObject({ level: 'warn', msg: 'request not authenticated', method: 'GET', path: '/api/v1/trades', status: 401, reason: 'The API key is not recognised.' });
    expect(JSON.stringify(line)).not.toContain('no-such-key');
  });

  it('logs a 403 with the principal and role that were refused', async () => {
    await request(app.getHttpServer()).post('/api/v1/trades/T-1/cancel').set(bearer('dev-auditor')).set('X-Correlation-Id', 'corr-403').expect(403);
    expect(logs.lines.find((l) => l.correlationId === 'corr-403')).toMatchObject({
      level: 'warn',
      msg: 'request forbidden',
      method: 'POST',
      path: '/api/v1/trades/T-1/cancel',
      status: 403,
      principalId: 'dev-auditor',
      role: 'auditor',
    });
  });
});
