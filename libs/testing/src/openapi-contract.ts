/**
 * The OpenAPI contract every service's document honours, so that a client can be generated from
 * it: checked on the document built from the service's own controllers (as `configureApp` builds
 * it), without starting the service. Each offending operation is listed by service, method and
 * path, with what it lacks.
 */
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_POLICY, buildOpenApiDocument, PROBLEM_CONTENT_TYPE, type AccessPolicy } from '@postrade/platform';

/** `"POST /api/v1/trades"`: an operation, as the checks name it. */
export type OperationName = string;

export interface OpenApiContract {
  /** The service's name, as `PlatformModule.forService` has it. */
  service: string;
  /** The service's root module (its controllers are found by walking its imports). */
  rootModule: Type<unknown>;
  /**
   * Statuses a handler gives beyond what the checks derive from the route (400 for input, 401/403
   * for keys and roles, 404 for a path id): the 409s and 422s its `DomainError`s are, and any other.
   */
  thrown?: Record<OperationName, number[]>;
  /** Creates that answer a replay (same `Idempotency-Key`, or same natural key) 200 beside 201. */
  replayingCreates?: OperationName[];
  /**
   * Operations taking an `Idempotency-Key` (or replayed by a natural key) whose replay answers the
   * same status as the first call: their success response must say what a replay answers.
   */
  sameStatusReplays?: OperationName[];
}

type Operation = {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; $ref?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
  security?: Record<string, string[]>[];
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const PROBLEM_SCHEMA_REF = '#/components/schemas/ProblemDetails';

/** Every controller the module graph declares, the shared ones included. */
export function controllersOf(rootModule: Type<unknown>): Type<unknown>[] {
  const controllers = new Set<Type<unknown>>();
  const seen = new Set<unknown>();
  const visit = (entry: Type<unknown> | DynamicModule | ForwardReference | undefined): void => {
    if (entry === undefined || seen.has(entry)) return;
    seen.add(entry);
    if ('forwardRef' in entry && typeof entry.forwardRef === 'function') return visit(entry.forwardRef());
    const dynamic = 'module' in entry ? (entry as DynamicModule) : undefined;
    const moduleClass = dynamic?.module ?? (entry as Type<unknown>);
    for (const controller of [...(Reflect.getMetadata('controllers', moduleClass) ?? []), ...(dynamic?.controllers ?? [])]) controllers.add(controller);
    for (const imported of [...(Reflect.getMetadata('imports', moduleClass) ?? []), ...(dynamic?.imports ?? [])]) visit(imported);
    if (dynamic !== undefined) visit(moduleClass);
  };
  visit(rootModule);
  return [...controllers];
}

/**
 * The service's OpenAPI document, built as `configureApp` builds it, from its controllers alone:
 * their dependencies are stand-ins that nothing calls (building the document runs no handler).
 */
export async function openApiDocumentOf(contract: Pick<OpenApiContract, 'service' | 'rootModule'>): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ controllers: controllersOf(contract.rootModule) })
    .useMocker(() => ({}))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    return buildOpenApiDocument(app, { serviceName: contract.service, version: '1.0.0' });
  } finally {
    await app.close();
  }
}

interface RouteFacts {
  policy: AccessPolicy | undefined;
  takesBody: boolean;
}

/** What the route itself says (by the default operation id, `Controller_method`). */
function routeFactsOf(controllers: Type<unknown>[]): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const controller of controllers) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[method];
      if (method === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata('method', handler) === undefined) continue;
      const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {};
      facts.set(`${controller.name}_${method}`, {
        policy: Reflect.getMetadata(ACCESS_POLICY, handler) ?? Reflect.getMetadata(ACCESS_POLICY, controller),
        takesBody: Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY)),
      });
    }
  }
  return facts;
}

/** Every way the document falls short, one line per operation (or per document-wide problem). */
export function openApiContractViolations(document: OpenAPIObject, contract: OpenApiContract): string[] {
  const facts = routeFactsOf(controllersOf(contract.rootModule));
  const violations: string[] = [];
  const operationIds = new Map<string, string>();
  const named = new Set<OperationName>();
  const schemes = Object.keys(document.components?.securitySchemes ?? {});

  if (!/^3\.\d+\.\d+$/.test(document.openapi)) violations.push(`${contract.service}: openapi is "${document.openapi}", not 3.x.y`);
  if (!document.info?.title || !document.info?.version) violations.push(`${contract.service}: info needs a title and a version`);
  for (const ref of refsIn(document)) {
    if (resolve(document, ref) === undefined) violations.push(`${contract.service}: $ref ${ref} resolves to nothing`);
  }
  for (const requirement of document.security ?? []) {
    for (const scheme of Object.keys(requirement)) if (!schemes.includes(scheme)) violations.push(`${contract.service}: security names undefined scheme "${scheme}"`);
  }

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation === undefined) continue;
      const name = `${method.toUpperCase()} ${path}`;
      named.add(name);
      const lacks: string[] = [];
      const responses = operation.responses ?? {};
      const fact = operation.operationId === undefined ? undefined : facts.get(operation.operationId);

      if (!operation.summary?.trim()) lacks.push('a summary');
      if (!operation.operationId) lacks.push('an operationId');
      else if (operationIds.has(operation.operationId)) lacks.push(`a unique operationId (${operation.operationId} is also ${operationIds.get(operation.operationId)})`);
      else operationIds.set(operation.operationId, name);
      if (fact === undefined) lacks.push('a route the checks can find by its operationId');

      for (const scheme of (operation.security ?? []).flatMap((requirement) => Object.keys(requirement))) {
        if (!schemes.includes(scheme)) lacks.push(`a defined security scheme (it names "${scheme}")`);
      }
      const declared = new Set((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      for (const [, parameter] of path.matchAll(/\{([^}]+)\}/g)) if (!declared.has(parameter)) lacks.push(`a path parameter "${parameter}"`);

      const bodyContent = Object.values(operation.requestBody?.content ?? {});
      if (fact?.takesBody && !bodyContent.some((media) => media.schema !== undefined)) lacks.push('a request body schema');

      const successes = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
      if (successes.length === 0) lacks.push('a 2xx response');
      for (const status of successes) {
        if (status === '204') continue;
        const content = Object.values(responses[status].content ?? {});
        if (!content.some((media) => media.schema !== undefined)) lacks.push(`a response schema for ${status}`);
      }

      const required = new Set<number>(contract.thrown?.[name] ?? []);
      if (bodyContent.length > 0 || fact?.takesBody || (operation.parameters ?? []).length > 0) required.add(400);
      const policy = fact?.policy;
      if (policy?.kind !== 'public') required.add(401);
      if (policy === undefined || policy.kind === 'roles') required.add(403);
      if (path.includes('{')) required.add(404);
      for (const status of [...required].sort()) if (responses[String(status)] === undefined) lacks.push(`a ${status} answer`);

      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const schema = response.content?.[PROBLEM_CONTENT_TYPE]?.schema as { $ref?: string } | undefined;
        if (schema?.$ref !== PROBLEM_SCHEMA_REF) lacks.push(`${status} as ${PROBLEM_CONTENT_TYPE} referencing ${PROBLEM_SCHEMA_REF}`);
      }

      const idempotencyKey = (operation.parameters ?? []).some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      if (contract.sameStatusReplays?.includes(name)) {
        const said = successes.some((status) => /replay/i.test((responses[status] as { description?: string }).description ?? ''));
        if (!said) lacks.push('a success response saying what a replay answers');
      } else if (idempotencyKey || contract.replayingCreates?.includes(name)) {
        for (const status of ['201', '200']) if (responses[status] === undefined) lacks.push(`${status} (a replayed create answers 200 beside 201)`);
      }

      if (lacks.length > 0) violations.push(`${contract.service} ${name} lacks ${lacks.join('; ')}`);
    }
  }

  for (const name of [...Object.keys(contract.thrown ?? {}), ...(contract.replayingCreates ?? []), ...(contract.sameStatusReplays ?? [])]) {
    if (!named.has(name)) violations.push(`${contract.service}: the contract names ${name}, which the document does not have`);
  }
  return violations;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((entry) => refsIn(entry, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '$ref' && typeof entry === 'string') found.push(entry);
      else refsIn(entry, found);
    }
  }
  return found;
}

function resolve(document: OpenAPIObject, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[segment]), document);
}

/** The Jest suite: builds the service's document and lists every operation that falls short. */
export function describeOpenApiContract(contract: OpenApiContract): void {
  describe(`${contract.service} OpenAPI document`, () => {
    let document: OpenAPIObject;

    beforeAll(async () => {
      document = await openApiDocumentOf(contract);
    });

    it('documents operations', () => {
      expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    });

    it('documents every operation so that a client can be generated from it', () => {
      expect(openApiContractViolations(document, contract)).toEqual([]);
    });
  });
}
