import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { flushTracing } from './tracing';

/** Sends the spans still queued for export when the service stops, so its last requests are not lost. */
@Injectable()
export class TraceExportFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing().catch(() => undefined); // a collector that is away must not hold the shutdown
  }
}
