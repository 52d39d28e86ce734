// The service images' HEALTHCHECK: exit 0 when the service's /health/ready answers 200 (it does once
// the service reaches Kafka and Postgres), 1 otherwise. The slim Node image has no curl.
// The port: PORT as the service reads it, else the service's default port, which the image's build
// wrote to service.json (SERVICE_PORTS of @postrade/contracts).
const port = process.env.PORT || require('./service.json').port;
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(8000) }).then(
  (response) => process.exit(response.status === 200 ? 0 : 1),
  () => process.exit(1),
);
