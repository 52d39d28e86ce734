import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Name of the security scheme every operation requires (an API key sent as a bearer token). */
export const API_KEY_SECURITY_SCHEME = 'api-key';

export interface OpenApiOptions {
  serviceName: string;
  /** The API's version, e.g. `1.0.0`. */
  version: string;
  description?: string;
}

/** Serves the OpenAPI document at `/docs-json` and the Swagger UI at `/docs`. */
export function useOpenApiDocs(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(`Postrade ${options.serviceName}`)
    .setVersion(options.version)
    .setDescription(options.description ?? `REST API of the Postrade ${options.serviceName} service.`)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <key>' }, API_KEY_SECURITY_SCHEME)
    .addSecurityRequirements(API_KEY_SECURITY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: `Postrade ${options.serviceName} API` });
}
