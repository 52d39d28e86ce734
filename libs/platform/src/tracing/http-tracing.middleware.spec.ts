import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { configureLogging } from '../logging/logger';
import { logCapture } from '../testing/log-capture.fixture';
import { COUNTERPARTY_LEI, createSampleApp } from '../testing/sample-service.fixture';
import { parseTraceContext } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('trace context over HTTP', () => {
  let app: INestApplication;
  const logs = logCapture();
  const post = () => request(app.getHttpServer()).post('/api/v1/correlation').send({ lei: COUNTERPARTY_LEI });
  const spanOf = (response: request.Response) => parseTraceContext(response.headers['traceparent']);

  beforeAll(async () => {
    configureLogging({ destination: logs.destination });
    app = await createSampleApp({ LOG_LEVEL: 'info' });
  });
  beforeEach(() => {
    logs.lines.length = 0;
  });
  afterAll(async () => {
    configureLogging({ destination: process.stdout });
    await app.close();
  });

  it("continues the caller's trace: the answer names a new span of the same trace, with the caller's flags", async () => {
    const response = await post().set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`).expect(201);
    expect(spanOf(response)).toMatchObject({ traceId: TRACE_ID, traceFlags: 1 });
    expect(spanOf(response)?.spanId).not.toBe(CALLER_SPAN);
  });

  it('keeps an unsampled caller unsampled', async () => {
    const response = await post().set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-00`).expect(201);
    expect(spanOf(response)).toMatchObject({ traceId: TRACE_ID, traceFlags: 0 });
  });

  it.each([
    ['none', undefined],
    ['an invalid one (version ff)', `ff-${TRACE_ID}-${CALLER_SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`],
  ])('starts a new trace when the caller sends %s', async (_why, traceparent) => {
    const call = post();
    if (traceparent) call.set('traceparent', traceparent);
    const response = await call.expect(201);
    expect(spanOf(response)?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanOf(response)?.traceId).not.toBe(TRACE_ID);
  });

  it('starts a new trace when the caller sends traceparent twice (Node joins the two with a comma)', async () => {
    const response = await post().set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01, 00-${TRACE_ID}-${CALLER_SPAN}-01`).expect(201);
    expect(spanOf(response)?.traceId).not.toBe(TRACE_ID);
  });

  it('starts a new trace for every request without a caller trace', async () => {
    const [first, second] = [await post().expect(201), await post().expect(201)];
    expect(spanOf(first)?.traceId).not.toBe(spanOf(second)?.traceId);
  });

  it("puts the request span's trace and span ids beside the correlation id on the handler's log lines", async () => {
    const response = await post().set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`).set('X-Correlation-Id', 'cid-traced').expect(201);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: 'handling correlation request', correlationId: 'cid-traced', traceId: TRACE_ID, spanId: spanOf(response)?.spanId }),
    );
  });

  it('answers errors with the trace too', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/trades').set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`).expect(401);
    expect(spanOf(response)?.traceId).toBe(TRACE_ID);
  });
});
