import type { Admin } from 'kafkajs';
import { createKafka, type KafkaConnection } from './kafka-client';

/**
 * One long-lived Kafka admin client per service, for what is asked often: readiness
 * (`/health/ready` is polled every few seconds by an orchestrator) and the high watermarks of
 * partitions that wait out a fault (so their lag stays current). It connects on first use and keeps
 * its connection; a failure drops it, and the next call connects again. A probe therefore costs a
 * metadata round trip on an open connection, not a new connection per call.
 */
export class BrokerAdminSession {
  private admin?: Admin;
  private connecting?: Promise<Admin>;
  /** Admin clients created so far (1 while the broker stays up): what the readiness test counts. */
  created = 0;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly createAdmin: () => Admin = () => createKafka(connection, { quiet: true }).admin({ retry: { retries: 0 } }),
  ) {}

  /** Resolves when the broker answers a metadata request on the session's connection. */
  async ping(): Promise<void> {
    await this.use((admin) => admin.describeCluster());
  }

  /** The current high watermark of each partition of `topic`. */
  async highWatermarks(topic: string): Promise<Map<number, string>> {
    const offsets = await this.use((admin) => admin.fetchTopicOffsets(topic));
    return new Map(offsets.map((o) => [o.partition, o.high]));
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async use<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = await this.connected();
    try {
      return await work(admin);
    } catch (err) {
      if (this.admin === admin) await this.close();
      throw err;
    }
  }

  private connected(): Promise<Admin> {
    if (this.admin) return Promise.resolve(this.admin);
    this.connecting ??= (async () => {
      const admin = this.createAdmin();
      this.created++;
      try {
        await admin.connect();
      } catch (err) {
        this.connecting = undefined;
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
      this.admin = admin;
      this.connecting = undefined;
      return admin;
    })();
    return this.connecting;
  }
}
