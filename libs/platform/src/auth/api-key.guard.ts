import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyRegistry, bearerKeyOf } from './api-key-registry';
import { ACCESS_POLICY, AccessPolicy, AuthenticatedRequest, DEFAULT_READ_ROLES, DEFAULT_WRITE_ROLES } from './auth.decorators';
import { Role } from './principal';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Global guard: authenticates the bearer API key (missing or unknown → 401) and checks the
 * endpoint's access policy (wrong role → 403). Endpoints without a policy follow the default:
 * reads for ops, supervisor and auditor; writes for ops and supervisor.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (policy?.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const key = bearerKeyOf(request.headers.authorization);
    if (key === undefined) throw new UnauthorizedException('An API key is required: send Authorization: Bearer <key>.');
    const principal = this.apiKeys.principalFor(key);
    if (principal === undefined) throw new UnauthorizedException('The API key is not recognised.');
    request.principal = principal;

    if (policy?.kind === 'any-authenticated') return true;
    const allowed = policy?.kind === 'roles' ? policy.roles : defaultRolesFor(request.method);
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`The role ${principal.role} may not ${request.method} this resource.`);
    }
    return true;
  }
}

function defaultRolesFor(method: string): readonly Role[] {
  return READ_METHODS.has(method.toUpperCase()) ? DEFAULT_READ_ROLES : DEFAULT_WRITE_ROLES;
}
