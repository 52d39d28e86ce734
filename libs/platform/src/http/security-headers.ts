import { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * helmet's defaults, except `upgrade-insecure-requests`: services are reached over plain HTTP
 * inside a deployment, and that directive would make browsers fetch the Swagger UI's assets
 * over HTTPS and fail.
 */
export function useSecurityHeaders(app: INestApplication): void {
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
}
