import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureLogging } from '../logging/logger';
import { logCapture } from '../testing/log-capture.fixture';
import { SampleController } from '../testing/sample-service.fixture';
import { bootstrapService } from './bootstrap-service';
import { configureApp } from './configure-app';
import { PlatformModule } from './platform.module';

@Module({ imports: [PlatformModule.forService({ name: 'sample', port: 3999 })], controllers: [SampleController] })
class SampleServiceModule {}

describe('bootstrapService', () => {
  const savedEnv = { ...process.env };
  const { lines, destination } = logCapture();

  beforeAll(() => {
    Object.assign(process.env, { PORT: '0', LOG_LEVEL: 'info', POSTRADE_DEV_KEYS: '0' });
    configureLogging({ destination });
  });
  afterAll(() => {
    process.env = savedEnv;
    configureLogging({ destination: process.stdout, level: 'info' });
  });

  it('starts the service on PORT, serving health, and logs exactly one line saying where (and the refused request)', async () => {
    const app = await bootstrapService(SampleServiceModule, { name: 'sample', defaultPort: 3999 });
    try {
      await request(app.getHttpServer()).get('/health/live').expect(200);
      await request(app.getHttpServer()).get('/api/v1/trades').expect(401);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'info',
          service: 'sample',
          url: expect.stringMatching(/^http:\/\/localhost:\d+$/),
          docs: expect.stringMatching(/\/docs$/),
          msg: expect.stringMatching(/^sample serving at http:\/\/localhost:\d+$/),
        }),
        // A 401 is logged (issue 19); a successful health probe is not.
        expect.objectContaining({ level: 'warn', msg: 'request not authenticated', status: 401, path: '/api/v1/trades' }),
      ]);
      expect(lines[0].url).not.toBe('http://localhost:0');
    } finally {
      await app.close();
    }
  });

  it('refuses to start outside development with an API key shorter than 32 characters', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    process.env.POSTRADE_API_KEYS = 'short-ops-key=ops';
    try {
      await expect(bootstrapService(SampleServiceModule, { name: 'sample', defaultPort: 3999 })).rejects.toThrow('exit 1');
      expect(exit).toHaveBeenCalledWith(1);
      expect(lines.at(-1)).toMatchObject({
        level: 'fatal',
        msg: expect.stringContaining('POSTRADE_API_KEYS entry 1 has a key of 13 characters; keys must have at least 32'),
      });
      expect(JSON.stringify(lines.at(-1))).not.toContain('short-ops-key');
    } finally {
      delete process.env.POSTRADE_API_KEYS;
      exit.mockRestore();
    }
  });

  it('installs the JSON body parser and no urlencoded one: a form post is refused', async () => {
    const app = await bootstrapService(SampleServiceModule, { name: 'sample', defaultPort: 3999 });
    try {
      const middleware: string[] = app.getHttpAdapter().getInstance().router.stack.map((layer: { name: string }) => layer.name);
      expect(middleware).toContain('jsonParser');
      expect(middleware).not.toContain('urlencodedParser');
      await request(app.getHttpServer()).post('/api/v1/trades').set('Authorization', 'Bearer any').type('form').send('quantity=1').expect(415);
    } finally {
      await app.close();
    }
  });
});

describe('configureApp', () => {
  it('says what is missing when the root module does not import PlatformModule', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    expect(() => configureApp(app)).toThrow('the root module must import PlatformModule.forService');
    await app.close();
  });
});
