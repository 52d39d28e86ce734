import { Module } from '@nestjs/common';
import { MessagingModule } from '@postrade/messaging';
import { PlatformModule } from '@postrade/platform';
import { settlementDatabase } from './persistence/settlement.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'settlement', port: 3003 }),
    MessagingModule.forService({ service: 'settlement', database: settlementDatabase, consumers: [] }),
  ],
})
export class SettlementModule {}
