import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp } from '../bootstrap/configure-app';
import { PlatformModule } from '../bootstrap/platform.module';
import { bearer } from '../testing/sample-service.fixture';
import { AuditController } from './audit.controller';
import { AUDIT_TRAIL_READER, type AuditTrailExport, type AuditTrailPeriod, type AuditTrailReader, type AuditTrailRecord } from './audit-trail-reader';

const record = (sequence: number): AuditTrailRecord => ({
  recordId: `R-${sequence}`,
  sequence,
  recordedAt: '2026-11-20T10:00:00.000Z',
  actor: 'dev-ops',
  action: 'limit.put',
  entityType: 'counterparty',
  entityId: 'LEI-1',
  before: null,
  after: { limit: '100.00' },
  chain: 'api:3',
  previousHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

/** A trail of records 1…5 in memory, as a service's reader would page it, remembering what it was asked. */
class InMemoryTrail implements AuditTrailReader {
  readonly asked: unknown[] = [];

  async list(filter: AuditTrailPeriod & { entityId?: string; afterSequence?: number; limit: number }): Promise<AuditTrailRecord[]> {
    this.asked.push(filter);
    return [1, 2, 3, 4, 5].filter((s) => s > (filter.afterSequence ?? 0)).slice(0, filter.limit).map(record);
  }

  async verify() {
    return { ok: false, recordsChecked: 5, firstBadRecordId: 'R-3' };
  }

  async export(period: AuditTrailPeriod): Promise<AuditTrailExport> {
    this.asked.push(period);
    return { from: period.from ?? null, to: period.to ?? null, exportedAt: '2026-11-21T00:00:00.000Z', records: [record(1)] };
  }
}

describe('the shared audit API (api/v1/audit)', () => {
  let app: INestApplication;
  const trail = new InMemoryTrail();

  beforeAll(async () => {
    // Wired as a service wires it: the controller, and the reader bound to the service's own queries.
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forService({ name: 'sample', port: 0, env: { POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'silent' } })],
      controllers: [AuditController],
      providers: [{ provide: InMemoryTrail, useValue: trail }, { provide: AUDIT_TRAIL_READER, useExisting: InMemoryTrail }],
    }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
  });
  afterAll(() => app.close());
  beforeEach(() => trail.asked.splice(0));

  const http = () => request(app.getHttpServer());

  it('lists a page at a time by sequence, passing the filters through', async () => {
    const first = await http().get('/api/v1/audit?entityId=LEI-1&from=2026-11-20&to=2026-11-20&limit=2').set(bearer('dev-auditor')).expect(200);
    expect(first.body.items.map((r: AuditTrailRecord) => r.recordId)).toEqual(['R-1', 'R-2']);
    expect(trail.asked[0]).toEqual({ entityId: 'LEI-1', from: '2026-11-20', to: '2026-11-20', afterSequence: undefined, limit: 3 });

    const second = await http().get(`/api/v1/audit?limit=2&cursor=${first.body.nextCursor}`).set(bearer('dev-supervisor')).expect(200);
    expect(second.body.items.map((r: AuditTrailRecord) => r.sequence)).toEqual([3, 4]);
    const last = await http().get(`/api/v1/audit?limit=2&cursor=${second.body.nextCursor}`).set(bearer('dev-auditor')).expect(200);
    expect(last.body).toEqual({ items: [record(5)], nextCursor: null });
  });

  it('refuses a cursor it did not issue with 400', async () => {
    const notASequence = Buffer.from(JSON.stringify({ sequence: 'x' })).toString('base64url');
    await http().get(`/api/v1/audit?cursor=${notASequence}`).set(bearer('dev-auditor')).expect(400);
  });

  it('verifies with 200 (a report, not a creation)', async () => {
    const verified = await http().post('/api/v1/audit/verify').set(bearer('dev-auditor')).expect(200);
    expect(verified.body).toEqual({ ok: false, recordsChecked: 5, firstBadRecordId: 'R-3' });
  });

  it('exports a period', async () => {
    const exported = await http().get('/api/v1/audit/export?from=2026-11-01&to=2026-11-30').set(bearer('dev-supervisor')).expect(200);
    expect(exported.body).toMatchObject({ from: '2026-11-01', to: '2026-11-30', records: [{ recordId: 'R-1' }] });
    expect(trail.asked).toEqual([{ from: '2026-11-01', to: '2026-11-30' }]);
  });

  it('is for auditors and supervisors only', async () => {
    await http().get('/api/v1/audit').expect(401);
    await http().get('/api/v1/audit').set(bearer('dev-ops')).expect(403);
    await http().post('/api/v1/audit/verify').set(bearer('dev-ops')).expect(403);
    await http().get('/api/v1/audit/export').set(bearer('dev-upstream')).expect(403);
    expect(trail.asked).toEqual([]);
  });
});

describe('anchoring the audit trail (POST api/v1/audit/anchors)', () => {
  let app: INestApplication;
  const anchor = {
    service: 'sample',
    schema: 'sample',
    trail: 'audit',
    heads: [{ chain: 'api:3', lastSequence: 5, lastHash: 'f'.repeat(64) }],
    anchoredAt: '2026-11-21T00:00:00.000Z',
    keyId: 'k1',
    algorithm: 'HMAC-SHA256' as const,
    signature: 'a'.repeat(64),
  };
  const anchored = Object.assign(new InMemoryTrail(), { anchored: 0, anchor: async () => (anchored.anchored++, anchor) });
  const unanchored = new InMemoryTrail();

  async function appWith(reader: AuditTrailReader): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformModule.forService({ name: 'sample', port: 0, env: { POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'silent' } })],
      controllers: [AuditController],
      providers: [{ provide: AUDIT_TRAIL_READER, useValue: reader }],
    }).compile();
    const created = moduleRef.createNestApplication();
    configureApp(created);
    await created.init();
    return created;
  }

  beforeAll(async () => {
    app = await appWith(anchored);
  });
  afterAll(() => app.close());

  it('publishes the heads now and answers 201 with the signed anchor, for auditors and supervisors only', async () => {
    const res = await request(app.getHttpServer()).post('/api/v1/audit/anchors').set(bearer('dev-auditor')).expect(201);
    expect(res.body).toEqual(anchor);
    await request(app.getHttpServer()).post('/api/v1/audit/anchors').set(bearer('dev-supervisor')).expect(201);
    await request(app.getHttpServer()).post('/api/v1/audit/anchors').set(bearer('dev-ops')).expect(403);
    expect(anchored.anchored).toBe(2);
  });

  it('answers 404 problem+json where the trail is not anchored', async () => {
    const plain = await appWith(unanchored);
    try {
      const res = await request(plain.getHttpServer()).post('/api/v1/audit/anchors').set(bearer('dev-auditor')).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    } finally {
      await plain.close();
    }
  });
});
