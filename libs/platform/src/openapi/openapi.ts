import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Name of the security scheme every operation requires (an API key sent as a bearer token). */
export const API_KEY_SECURITY_SCHEME = 'bearer';

export interface OpenApiOptions {
  serviceName: string;
  /** The API's version, e.g. `1.0.0`. */
  version: string;
  description?: string;
}

/**
 * The service's OpenAPI 3 document, from its controllers' metadata (nothing has to be running:
 * the document tests build it from the controllers alone). Every operation names its summary,
 * schemas and the problem+json answers it gives (see `ApiProblems`).
 */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Postrade ${options.serviceName}`)
    .setVersion(options.version)
    .setDescription(options.description ?? `REST API of the Postrade ${options.serviceName} service.`)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <key>' }, API_KEY_SECURITY_SCHEME)
    .addSecurityRequirements(API_KEY_SECURITY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the OpenAPI document at `/docs-json` and the Swagger UI at `/docs`. */
export function useOpenApiDocs(app: INestApplication, options: OpenApiOptions): void {
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: `Postrade ${options.serviceName} API` });
}
