import type { ServiceDatabase } from '@postrade/persistence';
import { tradeCaptureMigrations } from './migrations';
import { tradeCaptureEntities } from './entities';

/** trade-capture owns the `trade_capture` schema through the `trade_capture_svc` role, and nothing else. */
export const tradeCaptureDatabase: ServiceDatabase = {
  service: 'trade-capture',
  schema: 'trade_capture',
  role: 'trade_capture_svc',
  entities: tradeCaptureEntities,
  migrations: tradeCaptureMigrations,
};
