export * from './parked-inputs-table';
export * from './parking-lot';
export * from './parking.module';
