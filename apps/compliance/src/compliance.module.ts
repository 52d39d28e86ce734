import { Module } from '@nestjs/common';
import { MessagingModule } from '@postrade/messaging';
import { PlatformModule } from '@postrade/platform';
import { complianceDatabase } from './persistence/compliance.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'compliance', port: 3005 }),
    MessagingModule.forService({ service: 'compliance', database: complianceDatabase, consumers: [] }),
  ],
})
export class ComplianceModule {}
