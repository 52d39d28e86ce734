export * from './reference-data.resource';
export * from './trade.resource';
export * from './match.resource';
export * from './compliance-decision.resource';
export * from './instruction.resource';
export * from './journal-entry.resource';
export * from './reconciliation.resource';
