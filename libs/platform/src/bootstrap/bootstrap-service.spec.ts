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

  it('starts the service on PORT, serving health, and logs exactly one line saying where', async () => {
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
      ]);
      expect(lines[0].url).not.toBe('http://localhost:0');
    } finally {
      await app.close();
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
