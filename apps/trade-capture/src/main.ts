import 'reflect-metadata';
import { bootstrapService } from '@postrade/platform';
import { TradeCaptureModule } from './trade-capture.module';

void bootstrapService(TradeCaptureModule, {
  name: 'trade-capture',
  defaultPort: 3001,
  description: 'Trade capture: reference data, trade lifecycle, enrichment and settlement dates.',
});
