// Bad input gets a clear Status with the right code, reason and causes, and leaves nothing behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import protobuf from 'protobufjs/minimal.js';
import { testSkiff } from '../support/skiff.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;
const CM = '/api/v1/namespaces/default/configmaps';

/** A ConfigMap as kubectl's typed client sends it: `k8s\0` + runtime.Unknown{typeMeta, raw}. */
function protobufConfigMap(name: string, data: Record<string, string>): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(name).uint32((3 << 3) | 2).string('default').ldelim();
  for (const [k, v] of Object.entries(data)) w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 2).string(k).uint32((2 << 3) | 2).string(v).ldelim();
  const object = w.finish();
  const envelope = protobuf.Writer.create();
  envelope.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string('v1').uint32((2 << 3) | 2).string('ConfigMap').ldelim();
  envelope.uint32((2 << 3) | 2).bytes(object);
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...envelope.finish()]);
}

describe('bad input', () => {
  let t: T;
  let stored: () => Promise<string[]>;
  beforeAll(async () => {
    t = await testSkiff();
    stored = async () => (await t.request('GET', CM)).body.items.map((i: any) => i.metadata.name);
  });
  afterAll(async () => { await t.close(); });

  it('accepts a protobuf body, as kubectl create configmap sends it', async () => {
    const r = await t.request('POST', `${CM}?fieldManager=kubectl-create&fieldValidation=Strict`, {
      raw: protobufConfigMap('from-proto', { key: 'value' }) as BodyInit, contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body.data).toEqual({ key: 'value' });
  });

  it.each([
    ['malformed JSON', '{"apiVersion": "v1", "kind": ', 'application/json', 400, 'BadRequest'],
    ['malformed YAML', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n', 'application/yaml', 400, 'BadRequest'],
    ['malformed protobuf', new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff]), 'application/vnd.kubernetes.protobuf', 400, 'BadRequest'],
    ['protobuf without the magic', new Uint8Array([1, 2, 3, 4, 5]), 'application/vnd.kubernetes.protobuf', 400, 'BadRequest'],
    ['an unknown media type', 'name=x', 'text/plain', 415, 'UnsupportedMediaType'],
    ['a JSON array', '[]', 'application/json', 400, 'BadRequest'],
  ])('rejects %s', async (_what, raw, contentType, code, reason) => {
    const before = await stored();
    const r = await t.request('POST', CM, { raw: raw as BodyInit, contentType });
    expect(r.status).toBe(code);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason, code });
    expect(await stored()).toEqual(before);
  });

  it('rejects a body over 3 MiB with 413', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } });
    const r = await t.request('POST', CM, { raw: big });
    expect(r.status).toBe(413);
    expect(r.body.reason).toBe('RequestEntityTooLarge');
    expect(await stored()).not.toContain('big');
  });

  it('rejects invalid names and labels with field causes', async () => {
    const r = await t.request('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', labels: { 'ok/key': 'bad value!' } } } });
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.details.causes.map((c: any) => [c.reason, c.field])).toEqual([
      ['FieldValueInvalid', 'metadata.name'],
      ['FieldValueInvalid', 'metadata.labels'],
    ]);
    expect(r.body.message).toMatch(/^ConfigMap "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(await stored()).not.toContain('Bad_Name');
  });

  it('handles unknown fields per fieldValidation', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'uf' }, dataa: { a: 'b' } };
    const strict = await t.request('POST', `${CM}?fieldValidation=Strict`, { body });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"');
    expect(await stored()).not.toContain('uf');
    const warn = await t.request('POST', `${CM}?fieldValidation=Warn`, { body });
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe('299 - "unknown field \\"dataa\\""');
    expect(warn.body.dataa).toBeUndefined();
  });

  it('reports duplicate fields under Strict', async () => {
    const r = await t.request('POST', `${CM}?fieldValidation=Strict`, { raw: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":{"a":"1","a":"2"}}' });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('duplicate field "data.a"');
  });

  it('rejects values of the wrong type with the decoder\'s message', async () => {
    const r = await t.request('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' }, data: { a: 1 } } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
  });

  it('rejects mismatched namespaces, versions and missing namespaces', async () => {
    const ns = await t.request('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' } } });
    expect(ns.status).toBe(400);
    const version = await t.request('POST', CM, { body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    expect(version.status).toBe(400);
    const missing = await t.request('POST', '/api/v1/namespaces/nowhere/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nowhere" not found');
  });

  it('refuses requests without a valid token', async () => {
    expect((await t.request('GET', CM, { token: null })).status).toBe(401);
    const wrong = await t.request('GET', CM, { token: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.reason).toBe('Unauthorized');
  });

  it('answers unknown paths and methods with a Status', async () => {
    expect((await t.request('GET', '/apis/nope.example.com/v1/things')).status).toBe(404);
    expect((await t.request('POST', '/api/v1/componentstatuses', { body: {} })).status).toBe(405);
    const bad = await t.request('PATCH', `${CM}/from-proto`, { raw: '{}', contentType: 'application/x-unknown' });
    expect(bad.status).toBe(415);
    // and the server is still fine
    expect((await t.request('GET', `${CM}/from-proto`)).status).toBe(200);
  });
});
