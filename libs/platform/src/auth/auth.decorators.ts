import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from './principal';

/** Who may call an endpoint. A method's policy overrides its controller's. */
export type AccessPolicy = { kind: 'public' } | { kind: 'any-authenticated' } | { kind: 'roles'; roles: readonly Role[] };

export const ACCESS_POLICY = 'postrade:access-policy';

/** Where an endpoint names no policy: reads are open to these roles… */
export const DEFAULT_READ_ROLES: readonly Role[] = ['ops', 'supervisor', 'auditor'];
/** …and writes to these. */
export const DEFAULT_WRITE_ROLES: readonly Role[] = ['ops', 'supervisor'];

/** Exactly these roles may call the endpoint (replaces the default read/write rule). */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCESS_POLICY, { kind: 'roles', roles } satisfies AccessPolicy);

/** No API key needed: health, metrics, docs. */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);

/** Any valid API key, whatever its role (e.g. calendar endpoints). */
export const AnyAuthenticated = () => SetMetadata(ACCESS_POLICY, { kind: 'any-authenticated' } satisfies AccessPolicy);

/** A request once the guard has authenticated it. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/**
 * The authenticated caller, as a handler parameter: `create(@CurrentPrincipal() by: Principal)`.
 * `undefined` on `@Public()` endpoints, which are not authenticated.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
