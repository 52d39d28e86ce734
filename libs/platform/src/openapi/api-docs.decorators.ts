import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details';

/** One invalid field of a validation problem. */
@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema {
  @ApiProperty({ description: 'The field, as a path into the request (e.g. `counterparty.lei`, or a header or query name).', example: 'quantity' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'must be a positive decimal string' })
  message!: string;
}

/**
 * RFC 9457 problem details, the body of every error response (`application/problem+json`):
 * the OpenAPI face of `ProblemDetails`, registered once as the `ProblemDetails` component.
 */
@ApiSchema({ name: 'ProblemDetails', description: 'RFC 9457 problem details: the body of every error response.' })
export class ProblemDetailsSchema {
  @ApiProperty({ description: 'A URI naming the kind of problem.', example: 'https://postrade.dev/problems/validation-error' })
  type!: string;

  @ApiProperty({ description: 'The same for every occurrence of `type`.', example: 'Your request is not valid' })
  title!: string;

  @ApiProperty({ description: 'The HTTP status code.', example: 400 })
  status!: number;

  @ApiProperty({ description: 'What went wrong this time, for a human.' })
  detail!: string;

  @ApiProperty({ description: 'The request path the problem occurred on.', example: '/api/v1/trades' })
  instance!: string;

  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'The invalid fields, for validation problems.' })
  errors?: FieldErrorSchema[];

  @ApiPropertyOptional({ description: 'A machine-readable reason (e.g. `stale-version`).' })
  code?: string;

  @ApiPropertyOptional({ description: "The request's correlation id, to quote when reporting the problem." })
  correlationId?: string;
}

/** The statuses a Postrade service answers with problem+json, and what each means in general. */
const PROBLEM_DESCRIPTIONS = {
  400: 'The request is not valid (the problem names the fields).',
  401: 'No valid API key.',
  403: "The API key's role may not do this.",
  404: 'Not found (or not visible to this API key).',
  409: 'Conflicts with the current state (e.g. a stale version or a different request under the same key).',
  413: 'The body is too large.',
  415: 'The body is not of a media type this operation takes.',
  422: 'Understood but cannot be applied in the current state.',
  429: 'Too many requests: slow down.',
  503: 'A dependency is away for a moment: retry after `Retry-After` seconds.',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/**
 * Documents the error answers an operation gives, each `application/problem+json` referencing the
 * one `ProblemDetails` component: `@ApiProblems(400, 401, 403, 404)`. A description may replace the
 * generic one for a status: `@ApiProblems(400, [409, 'The trade was cancelled'])`.
 */
export function ApiProblems(...statuses: (ProblemStatus | [ProblemStatus, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsSchema, FieldErrorSchema),
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, PROBLEM_DESCRIPTIONS[entry]];
      return ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsSchema) } } } });
    }),
  );
}

/**
 * An idempotent create: 201 when it created the resource, 200 with the same body when the request
 * was a replay (the same `Idempotency-Key`, or the same natural key and terms) of one already applied.
 */
export function ApiCreatedOrReplayed(type: Type<unknown>, what = 'resource'): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status: 201, description: `The ${what} was created.`, type }),
    ApiResponse({ status: 200, description: `A replay of a request already applied: the ${what} as it was created, nothing done twice.`, type }),
  );
}

/** A page of a list: `{ items: T[], nextCursor: string | null }`. */
export function ApiPageResponse(type: Type<unknown>, description = 'One page of the list, in list order.'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(type) } },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; `null` on the last page.' },
        },
      },
    }),
  );
}

/** A list returned whole: `{ items: T[] }`. */
export function ApiItemsResponse(type: Type<unknown>, description = 'The whole list.'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiOkResponse({
      description,
      schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: getSchemaPath(type) } } } },
    }),
  );
}
