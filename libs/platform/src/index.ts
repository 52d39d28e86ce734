/**
 * @postrade/platform — what every Postrade service needs around its own code: configuration,
 * JSON logging with correlation ids and trace context, API-key auth, RFC 9457 errors, validation,
 * HTTP hardening, health, metrics, OpenAPI, bootstrap and pagination.
 */

// Configuration
export { ConfigError, EnvReader, formatEnvVarTable, parseDuration, readEnv } from './config/env-reader';
export type { EnvSource, EnvVarDoc } from './config/env-reader';
export { PLATFORM_ENV_VARS, PlatformConfig } from './config/platform-config';
export type { ServiceIdentity } from './config/platform-config';

// Logging
export { configureLogging, createLogger, LOG_LEVELS } from './logging/logger';
export type { Logger, LogLevel } from './logging/logger';
export { CORRELATION_ID_HEADER, correlationContext, correlationIdFrom, currentCorrelationId } from './logging/correlation-context';
export { PinoNestLogger } from './logging/nest-logger';

// Tracing (W3C Trace Context, OpenTelemetry export)
export { formatTraceparent, formatTracestate, parseTraceContext, TRACEPARENT_HEADER, TRACESTATE_HEADER } from './tracing/trace-context';
export { activeSpanContext, configureTracing, endSpan, flushTracing, inSpan, runInSpan, startSpan, tracingExports } from './tracing/tracing';
export type { SpanStart, TracingSettings } from './tracing/tracing';
export { httpTracingMiddleware } from './tracing/http-tracing.middleware';

// Auth
export { ROLES, isRole } from './auth/principal';
export type { Principal, Role } from './auth/principal';
export { AnyAuthenticated, CurrentPrincipal, DEFAULT_READ_ROLES, DEFAULT_WRITE_ROLES, Public, Roles } from './auth/auth.decorators';
export { ApiKeyRegistry } from './auth/api-key-registry';
export { ApiKeyGuard } from './auth/api-key.guard';
export { apiKeyDigest, DEV_API_KEYS, MIN_API_KEY_LENGTH, parseApiKeyGrant } from './auth/api-key-grants';
export type { ApiKeyGrant, DevApiKey } from './auth/api-key-grants';

// Errors and validation
export { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, ProblemException, problemType, resolveProblem, treatAsUnavailable } from './errors/problem-details';
export type { ProblemDetails, ProblemSlug } from './errors/problem-details';
export { ProblemDetailsFilter } from './errors/problem-details.filter';
export { createValidationPipe, toFieldErrors } from './validation/validation.pipe';

// Health and metrics
export { READINESS_CHECKS, ReadinessRegistry } from './health/readiness';
export type { ReadinessCheck, ReadinessCheckResult, ReadinessReport } from './health/readiness';
export { httpRequestDuration, metricsRegistry } from './metrics/metrics-registry';

// Bootstrap
export { PlatformModule } from './bootstrap/platform.module';
export type { PlatformModuleOptions } from './bootstrap/platform.module';
export { configureApp } from './bootstrap/configure-app';
export type { ConfigureAppOptions } from './bootstrap/configure-app';
export type { NonJsonBodyRoute } from './http/body-parsing';
export { bootstrapService } from './bootstrap/bootstrap-service';
export type { BootstrapOptions } from './bootstrap/bootstrap-service';

// OpenAPI
export { buildOpenApiDocument, API_KEY_SECURITY_SCHEME } from './openapi/openapi';
export type { OpenApiOptions } from './openapi/openapi';
export { ApiCreatedOrReplayed, ApiItemsResponse, ApiPageResponse, ApiProblems, FieldErrorSchema, ProblemDetailsSchema } from './openapi/api-docs.decorators';
export type { ProblemStatus } from './openapi/api-docs.decorators';
export { ACCESS_POLICY } from './auth/auth.decorators';
export type { AccessPolicy } from './auth/auth.decorators';

// Pagination
export { DEFAULT_PAGE_SIZE, ListQueryDto, MAX_PAGE_SIZE } from './pagination/list-query.dto';
export { decodeCursor, encodeCursor, paged, pageOf } from './pagination/page';
export type { Page, PagedOptions, PageRequest } from './pagination/page';

// Scheduling
export { PeriodicTask } from './scheduling/periodic-task';

// Audit trail API
export { AuditController } from './audit/audit.controller';
export { AuditExportQuery, AuditQuery } from './audit/audit.dto';
export { AUDIT_TRAIL_READER } from './audit/audit-trail-reader';
export type { AuditTrailExport, AuditTrailPeriod, AuditTrailReader, AuditTrailRecord, AuditTrailVerification } from './audit/audit-trail-reader';
export { AnchorCheckDto, AnchorDifferenceDto, AnchoredHeadDto, ChainAnchorDto } from './audit/anchor.responses';
