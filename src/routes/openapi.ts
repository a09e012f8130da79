// /openapi/v3 and its per-group-version documents. Documents are built once per process and addressed
// by a content hash, so clients may cache them for good (kubectl does, with the Expires/ETag headers).
import type { Context } from 'hono';
import type { Catalog } from '../api/catalog.ts';
import { groupVersionDocument, groupVersionPaths } from '../api/openapi.ts';
import { StatusError } from '../api/errors.ts';

interface Built { body: string; hash: string }
const documents = new WeakMap<Catalog, Map<string, Built>>();

function build(catalog: Catalog, group: string, version: string, path: string): Built {
  let cache = documents.get(catalog);
  if (!cache) documents.set(catalog, cache = new Map());
  let doc = cache.get(path);
  if (!doc) {
    const body = JSON.stringify(groupVersionDocument(catalog, group, version));
    doc = { body, hash: contentHash(body) };
    cache.set(path, doc);
  }
  return doc;
}

const notFound = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

/** `path` is below the cluster root, e.g. `/openapi/v3/apis/apps/v1`. */
export function serveOpenApi(c: Context, catalog: Catalog, path: string, prefix: string): Response {
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of groupVersionPaths(catalog)) {
      paths[gv.path] = { serverRelativeURL: `${prefix}/openapi/v3/${gv.path}?hash=${build(catalog, gv.group, gv.version, gv.path).hash}` };
    }
    return c.body(JSON.stringify({ paths }), 200, { 'Content-Type': 'application/json' });
  }
  const rest = path.slice('/openapi/v3/'.length);
  const gv = path.startsWith('/openapi/v3/') ? groupVersionPaths(catalog).find(g => g.path === rest) : undefined;
  if (!gv) throw notFound();
  const doc = build(catalog, gv.group, gv.version, gv.path);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ETag: `"${doc.hash}"` };
  if (c.req.query('hash') === doc.hash) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  } else {
    headers['Cache-Control'] = 'no-cache, private';
  }
  if (c.req.header('if-none-match') === `"${doc.hash}"`) return c.body(null, 304, headers);
  return c.body(doc.body, 200, headers);
}

/** A short, stable content hash (two 32-bit FNV-1a passes; the document changes only with the code). */
function contentHash(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).toUpperCase();
}
