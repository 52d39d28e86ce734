import { millisecondTimesMigration } from '@postrade/persistence';

/** Parked settlements are listed by (parked_at, event_id): parking times kept to the millisecond. */
export const ComplianceParkedMillis1764461000000 = millisecondTimesMigration('ComplianceParkedMillis1764461000000', 'parked_settlements', ['parked_at']);
