import { spawnTs } from './processes';
import { eventually } from './eventually';

/**
 * The contract every service process honours, checked against the real process started from its
 * main.ts: it boots against real Postgres and Kafka, reports ready, serves its OpenAPI document,
 * guards its API with keys and roles, and exits cleanly on SIGTERM.
 */
export function describeServiceBoot(service: string, port: number): void {
  describe(`${service} service process`, () => {
    const base = `http://127.0.0.1:${port}`;
    let proc: ReturnType<typeof spawnTs>;

    beforeAll(async () => {
      proc = spawnTs(`apps/${service}/src/main.ts`, { PORT: String(port), POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'info' });
      await proc.waitForLine(/"url"/, 90_000);
    });

    afterAll(async () => {
      await proc?.kill('SIGKILL');
    });

    it('reports ready once its database and Kafka answer', async () => {
      const ready = await eventually(
        async () => {
          const res = await fetch(`${base}/health/ready`);
          return { status: res.status, body: (await res.json()) as { checks: Record<string, unknown> } };
        },
        (r) => r.status === 200,
        30_000,
        `${service} ready`,
      );
      expect(ready.body.checks).toMatchObject({ database: { status: 'up' }, kafka: { status: 'up' } });
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    });

    it('prints what it connected to at start-up', () => {
      expect(proc.output()).toMatch(/connected to Kafka and Postgres/);
    });

    it('serves its OpenAPI document and docs page without a key', async () => {
      const json = await fetch(`${base}/docs-json`);
      expect(json.status).toBe(200);
      const doc = (await json.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toContain('/api/v1/dead-letters');
      const page = await fetch(`${base}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/swagger/i);
    });

    it('serves Prometheus metrics', async () => {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/process_cpu_user_seconds_total/);
    });

    it('answers 401 problem+json to a call without a valid key', async () => {
      const missing = await fetch(`${base}/api/v1/dead-letters`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const unknown = await fetch(`${base}/api/v1/dead-letters`, { headers: { Authorization: 'Bearer not-a-key' } });
      expect(unknown.status).toBe(401);
    });

    it('answers 403 to a valid key with the wrong role and 200 to ops', async () => {
      const wrongRole = await fetch(`${base}/api/v1/dead-letters`, { headers: { Authorization: 'Bearer dev-upstream' } });
      expect(wrongRole.status).toBe(403);
      const ops = await fetch(`${base}/api/v1/dead-letters`, { headers: { Authorization: 'Bearer dev-ops' } });
      expect(ops.status).toBe(200);
      const page = (await ops.json()) as { items: unknown; nextCursor: string | null };
      expect(Array.isArray(page.items)).toBe(true);
      // Other suites share the topics: this service may have dead-lettered their events already.
      expect(page.nextCursor === null || typeof page.nextCursor === 'string').toBe(true);
    });

    it('shuts down gracefully on SIGTERM', async () => {
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        proc.child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      proc.child.kill('SIGTERM');
      // Nest runs the shutdown hooks, then re-raises the signal: a clean exit is code 0 or SIGTERM.
      const { code, signal } = await exited;
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      expect(proc.output()).toMatch(/consumers stopped, outbox flushed, database closed/);
    });
  });
}
