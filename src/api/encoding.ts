// Request bodies: JSON, YAML or Kubernetes protobuf in; always JSON out.
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from './errors.ts';
import { decodeKubernetesProtobuf } from './protobuf.ts';

/** kube-apiserver's limit for a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const PATCH_TYPES = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
} as const;
export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

export interface DecodedBody {
  object: any;
  /** The JSON text as sent, for duplicate-field detection (absent for YAML and protobuf). */
  json?: string;
}

/** The media type without parameters, lower case. */
export function mediaTypeOf(contentType: string | undefined | null): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function checkSize(length: number) {
  if (length > MAX_BODY_BYTES) throw tooLarge(MAX_BODY_BYTES);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw badRequest('the request body is not valid UTF-8');
  }
}

export function parseJson(source: string, what = "couldn't get version/kind; json parse error"): any {
  try {
    return JSON.parse(source);
  } catch (e) {
    throw badRequest(`${what}: ${(e as Error).message}`);
  }
}

export function parseYamlDocument(source: string): any {
  let docs;
  try {
    docs = parseAllDocuments(source);
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const nonEmpty = list.filter(d => d.contents !== null);
  for (const d of list) {
    if (d.errors.length) throw badRequest(`error converting YAML to JSON: yaml: ${d.errors[0].message}`);
  }
  if (nonEmpty.length > 1) throw badRequest('error converting YAML to JSON: the request body holds more than one YAML document');
  try {
    return nonEmpty.length ? parseYaml(source) : null;
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

/** Decodes an object body (create, update) by its content type. */
export function decodeBody(contentType: string | undefined | null, bytes: Uint8Array): DecodedBody {
  checkSize(bytes.byteLength);
  const type = mediaTypeOf(contentType);
  let decoded: DecodedBody;
  switch (type) {
    case 'application/json':
    case '': {
      const json = text(bytes);
      decoded = { object: parseJson(json), json };
      break;
    }
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      decoded = { object: parseYamlDocument(text(bytes)) };
      break;
    case 'application/vnd.kubernetes.protobuf':
      try {
        decoded = { object: decodeKubernetesProtobuf(bytes).object };
      } catch (e) {
        throw badRequest((e as Error).message);
      }
      break;
    default:
      throw unsupportedMediaType(type);
  }
  if (decoded.object === null || typeof decoded.object !== 'object' || Array.isArray(decoded.object)) {
    throw badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  }
  return decoded;
}

/** Decodes a PATCH body: its type comes from the content type, its content is JSON (or YAML for apply). */
export function decodePatch(contentType: string | undefined | null, bytes: Uint8Array): { type: PatchType; patch: any } {
  checkSize(bytes.byteLength);
  const media = mediaTypeOf(contentType);
  const type = PATCH_TYPES[media as keyof typeof PATCH_TYPES];
  if (!type) throw unsupportedMediaType(media, Object.keys(PATCH_TYPES));
  const source = text(bytes);
  const patch = type === 'apply' ? parseYamlDocument(source) : parseJson(source, 'error decoding patch');
  if (type === 'json' ? !Array.isArray(patch) : (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw badRequest(type === 'json'
      ? 'the JSON patch must be an array of operations'
      : 'the patch must be a JSON object');
  }
  return { type, patch };
}
