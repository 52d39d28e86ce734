export * from './trade.decoder';
export * from './reference-data.decoders';
export * from './match.decoder';
export * from './compliance-decision.decoder';
export * from './settlement-event.decoder';
export * from './custodian-request.decoder';
export * from './journal-entry.decoder';
export * from './registry';
