import { ConfigError } from '@postrade/platform';
import { validateMessagingEnv } from './messaging.module';

describe('the messaging library checks every environment variable it reads at start', () => {
  it('accepts an empty environment (every default)', () => {
    expect(() => validateMessagingEnv({})).not.toThrow();
  });

  it.each([
    ['OUTBOX_RELAY_BATCH', '0', /OUTBOX_RELAY_BATCH="0" must be an integer from 1 to 100000/],
    ['OUTBOX_RELAY_MAX_POLL_MS', 'soon', /OUTBOX_RELAY_MAX_POLL_MS="soon" must be an integer/],
    ['CONSUMER_MAX_BATCH', '0', /CONSUMER_MAX_BATCH="0" must be an integer from 1/],
    ['CONSUMER_CONCURRENT_PARTITIONS', '-1', /CONSUMER_CONCURRENT_PARTITIONS="-1" must be an integer from 1/],
    ['OUTBOX_RETENTION', '0h', /OUTBOX_RETENTION="0h" must be from 1ms/],
    ['INBOX_RETENTION', '8', /INBOX_RETENTION="8" must be a duration with its unit/],
    ['DEAD_LETTER_RETENTION', '0d', /DEAD_LETTER_RETENTION="0d" must be from 1ms/],
    ['RETENTION_SWEEP_INTERVAL', '0s', /RETENTION_SWEEP_INTERVAL="0s" must be from 1s/],
    ['PARKED_SWEEP_INTERVAL', 'often', /PARKED_SWEEP_INTERVAL="often"/],
    ['SHUTDOWN_TIMEOUT_MS', '0', /SHUTDOWN_TIMEOUT_MS="0" must be an integer from 100/],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE="0" must be an integer from 1/],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '0', /DATABASE_STATEMENT_TIMEOUT_MS="0" must be an integer from 1/],
    ['DATABASE_RANDOM_PAGE_COST', 'cheap', /DATABASE_RANDOM_PAGE_COST must be a positive number, not "cheap"/],
    ['KAFKA_SESSION_TIMEOUT_MS', '100', /KAFKA_SESSION_TIMEOUT_MS="100" must be an integer from 6000/],
    ['KAFKA_CONSUMER_MIN_BYTES', '0', /KAFKA_CONSUMER_MIN_BYTES="0" must be an integer from 1 to 52428800/],
  ])('refuses %s=%s with a message naming it', (name, value, message) => {
    let thrown: unknown;
    try {
      validateMessagingEnv({ [name]: value });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toMatch(message);
  });
});
