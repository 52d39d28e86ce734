import { Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@postrade/messaging';
import { PlatformModule } from '@postrade/platform';
import { tradeCaptureDatabase } from './persistence/trade-capture.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'trade-capture', port: 3001 }),
    ServiceInfrastructureModule.forService({ service: 'trade-capture', database: tradeCaptureDatabase, consumers: [] }),
  ],
})
export class TradeCaptureModule {}
