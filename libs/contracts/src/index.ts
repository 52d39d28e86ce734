/**
 * Postrade's Kafka contracts: topic names, event types, the CloudEvents envelope and payload
 * shapes, versioned under `v1/`. Nothing else lives here.
 */
export * from './services';
export * from './cloudevents';
export * from './validate-payload';
export * from './v1';
