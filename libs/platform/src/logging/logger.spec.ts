import { logCapture } from '../testing/log-capture.fixture';
import { correlationContext, correlationIdFrom, currentCorrelationId } from './correlation-context';
import { configureLogging, createLogger } from './logger';
import { PinoNestLogger } from './nest-logger';

describe('logging', () => {
  const { lines, destination } = logCapture();

  // Created before configureLogging runs, as module-level loggers are.
  const earlyLogger = createLogger('outbox-relay');

  beforeEach(() => {
    lines.length = 0;
    configureLogging({ service: 'ledger', level: 'info', destination });
  });
  afterAll(() => configureLogging({ destination: process.stdout }));

  it('writes one JSON object per line with level, time, service and logger name', () => {
    createLogger('consumer').info({ topic: 'trades.inbound.v1' }, 'batch consumed');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'ledger', logger: 'consumer', topic: 'trades.inbound.v1', msg: 'batch consumed', time: expect.any(String) }),
    ]);
  });

  it('adds the correlation id inside correlationContext.run, across awaits', async () => {
    await correlationContext.run('evt-123', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      createLogger('consumer').info('after an await');
    });
    createLogger('consumer').info('outside');
    expect(lines[0]).toMatchObject({ correlationId: 'evt-123', msg: 'after an await' });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('applies a later configureLogging to loggers created earlier', () => {
    configureLogging({ level: 'warn', service: 'settlement' });
    earlyLogger.info('dropped');
    earlyLogger.warn('kept');
    expect(lines).toEqual([expect.objectContaining({ service: 'settlement', logger: 'outbox-relay', msg: 'kept' })]);
  });

  it('is quiet below the level', () => {
    createLogger('consumer').debug('not at info');
    expect(lines).toEqual([]);
  });

  describe('PinoNestLogger', () => {
    const nest = new PinoNestLogger();

    it("writes Nest's messages as JSON with their context", () => {
      nest.warn('queue is filling up', 'KafkaConsumer');
      expect(lines).toEqual([expect.objectContaining({ level: 'warn', context: 'KafkaConsumer', msg: 'queue is filling up' })]);
    });

    it("keeps Nest's error stack", () => {
      nest.error('handler failed', 'Error: boom\n    at x', 'ExceptionsHandler');
      expect(lines[0]).toMatchObject({ level: 'error', context: 'ExceptionsHandler', stack: 'Error: boom\n    at x', msg: 'handler failed' });
    });

    it("moves Nest's start-up chatter to debug", () => {
      nest.log('Mapped {/api/v1/trades, GET} route', 'RouterExplorer');
      nest.log('Nest application successfully started', 'NestApplication');
      expect(lines).toEqual([]);
    });
  });
});

describe('correlationIdFrom', () => {
  it('keeps a well-formed id and replaces anything else with a UUID', () => {
    expect(correlationIdFrom('abc-123:x.y_z')).toBe('abc-123:x.y_z');
    expect(correlationIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdFrom('x'.repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdFrom('line\nbreak')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is undefined outside a context', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });
});
