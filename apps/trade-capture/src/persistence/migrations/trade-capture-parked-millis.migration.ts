import { millisecondTimesMigration } from '@postrade/persistence';

/** `GET /api/v1/parked-actions` pages by (parked_at, …): parking times kept to the millisecond. */
export const TradeCaptureParkedMillis1764461000000 = millisecondTimesMigration('TradeCaptureParkedMillis1764461000000', 'parked_trade_actions', ['parked_at']);
