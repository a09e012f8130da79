// metav1.Status errors: the one place that decides codes, reasons and message formats.
import type { Status, StatusCause } from 'kubernetes-types/meta/v1';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge' | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable' | 'Timeout';

/** What a qualified resource looks like in messages: `deployments.apps`, `pods`. */
export interface GroupResource { group: string; resource: string }

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
  }

  toStatus(): Status & { kind: 'Status'; apiVersion: 'v1' } {
    const status: Status & { kind: 'Status'; apiVersion: 'v1' } = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason,
    };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

// Go omits the empty group of core resources.
const details = (gr: GroupResource, name?: string) =>
  ({ ...(name !== undefined ? { name } : {}), ...(gr.group ? { group: gr.group } : {}), kind: gr.resource });

export const notFound = (gr: GroupResource, name: string) =>
  new StatusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, details(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  new StatusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, details(gr, name));

export const conflict = (gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, details(gr, name));

export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);

export const methodNotAllowed = () =>
  new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const unsupportedMediaType = (
  contentType: string,
  accepted = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
) => new StatusError(415, 'UnsupportedMediaType',
  `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}${contentType ? ` (got ${contentType})` : ''}`);

export const notAcceptable = () =>
  new StatusError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml');

export const tooLarge = (limit: number) =>
  new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);

export const expired = (message: string) => new StatusError(410, 'Expired', message);

export const unauthorized = () => new StatusError(401, 'Unauthorized', 'Unauthorized');

export const forbidden = (message: string) => new StatusError(403, 'Forbidden', message);

export const internalError = (message: string) =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export const serviceUnavailable = (message: string) => new StatusError(503, 'ServiceUnavailable', message);

export const timeout = (message: string) => new StatusError(504, 'Timeout', message);

// ---- field errors (apimachinery's field.Error), gathered into an Invalid status ----

export type FieldErrorType = 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate'
  | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueNotFound';

export interface FieldError { type: FieldErrorType; field: string; message: string }

/** Renders a value the way field errors quote it: strings quoted, everything else as JSON. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

export const field = {
  required: (path: string, detail = ''): FieldError =>
    ({ type: 'FieldValueRequired', field: path, message: `Required value${detail ? `: ${detail}` : ''}` }),
  invalid: (path: string, value: unknown, detail: string): FieldError =>
    ({ type: 'FieldValueInvalid', field: path, message: `Invalid value: ${showValue(value)}: ${detail}` }),
  notSupported: (path: string, value: unknown, supported: string[]): FieldError =>
    ({ type: 'FieldValueNotSupported', field: path,
      message: `Unsupported value: ${showValue(value)}: supported values: ${supported.map(s => JSON.stringify(s)).join(', ')}` }),
  duplicate: (path: string, value: unknown): FieldError =>
    ({ type: 'FieldValueDuplicate', field: path, message: `Duplicate value: ${showValue(value)}` }),
  forbidden: (path: string, detail: string): FieldError =>
    ({ type: 'FieldValueForbidden', field: path, message: `Forbidden: ${detail}` }),
  tooLong: (path: string, max: number): FieldError =>
    ({ type: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${max} bytes` }),
  tooMany: (path: string, actual: number, max: number): FieldError =>
    ({ type: 'FieldValueTooMany', field: path, message: `Too many: ${actual}: must have at most ${max} items` }),
  notFound: (path: string, value: unknown): FieldError =>
    ({ type: 'FieldValueNotFound', field: path, message: `Not found: ${showValue(value)}` }),
};

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: ...` */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const rendered = errors.map(e => `${e.field}: ${e.message}`);
  const summary = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const causes: StatusCause[] = errors.map(e => ({ reason: e.type, message: e.message, field: e.field }));
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`,
    { name, ...(group ? { group } : {}), kind, causes });
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
