import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs/minimal.js';
import { StatusError } from '../../src/api/errors.ts';
import { decodeKubernetesProtobuf, formatGoDuration } from '../../src/api/protobuf.ts';

// Test bodies are built by field number, the way gogo-protobuf writes them: non-pointer scalars and
// structs are always written, zero or not.
type Part = (w: protobuf.Writer) => void;
const VARINT = 0;
const BYTES = 2;
const tag = (n: number, wire: number) => (n << 3) | wire;
const str = (n: number, v: string): Part => (w) => { w.uint32(tag(n, BYTES)).string(v); };
const int = (n: number, v: number): Part => (w) => { w.uint32(tag(n, VARINT)).int64(v); };
const bool = (n: number, v: boolean): Part => (w) => { w.uint32(tag(n, VARINT)).bool(v); };
const raw = (n: number, v: Uint8Array): Part => (w) => { w.uint32(tag(n, BYTES)).bytes(v); };
const message = (...parts: Part[]): Uint8Array => {
  const w = protobuf.Writer.create();
  for (const part of parts) part(w);
  return w.finish();
};
const sub = (n: number, ...parts: Part[]) => raw(n, message(...parts));
const entry = (n: number, key: string, ...value: Part[]) => sub(n, str(1, key), ...value);
const utf8 = (text: string) => new TextEncoder().encode(text);

const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
function body(apiVersion: string, kind: string, object: Uint8Array): Uint8Array {
  const unknown = message(sub(1, str(1, apiVersion), str(2, kind)), raw(2, object), str(3, ''), str(4, ''));
  return new Uint8Array([...MAGIC, ...unknown]);
}

/** ObjectMeta as gogo writes it for a new object: every non-pointer field, creationTimestamp as an empty Time. */
const objectMeta = (n: number, name: string, namespace = '', ...more: Part[]) =>
  sub(n, str(1, name), str(2, ''), str(3, namespace), str(4, ''), str(5, ''), str(6, ''), int(7, 0), sub(8), ...more);

function decodeError(bytes: Uint8Array): StatusError {
  try {
    decodeKubernetesProtobuf(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(StatusError);
    return error as StatusError;
  }
  throw new Error('expected the body to be rejected');
}

describe('decodeKubernetesProtobuf', () => {
  it('decodes a Namespace as kubectl create namespace sends it', () => {
    const decoded = decodeKubernetesProtobuf(body('v1', 'Namespace', message(objectMeta(1, 'team-a'), sub(2), sub(3, str(1, '')))));
    expect(decoded.apiVersion).toBe('v1');
    expect(decoded.kind).toBe('Namespace');
    // Zero omitempty strings, the zero generation and the empty creationTimestamp disappear; structs stay, as in Go.
    expect(decoded.object).toEqual({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'team-a' }, spec: {}, status: {} });
  });

  it('decodes a ConfigMap with data, binaryData and labels', () => {
    const object = message(
      objectMeta(1, 'settings', 'default', entry(11, 'app', str(2, 'web')), entry(12, 'note', str(2, 'x'))),
      entry(2, 'mode', str(2, 'fast')),
      entry(2, 'empty', str(2, '')),
      entry(3, 'blob', raw(2, Uint8Array.of(0, 1, 2, 255))),
    );
    const { object: cm } = decodeKubernetesProtobuf(body('v1', 'ConfigMap', object));
    expect(cm).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'settings', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'x' } },
      data: { mode: 'fast', empty: '' },
      binaryData: { blob: 'AAEC/w==' },
    });
  });

  it('decodes a Secret: []byte values become base64, pointer fields stay unset when absent', () => {
    const object = message(objectMeta(1, 'sh.helm.release.v1.r.v1', 'default'), entry(2, 'release', raw(2, utf8('s3cret'))), str(3, 'helm.sh/release.v1'));
    const { object: secret } = decodeKubernetesProtobuf(body('v1', 'Secret', object));
    expect(secret).toEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 'sh.helm.release.v1.r.v1', namespace: 'default' },
      data: { release: 'czNjcmV0' },
      type: 'helm.sh/release.v1',
    });
  });

  it('decodes a Deployment: replicas, selector, containers, ports, quantities and an int-or-string strategy', () => {
    const labels = entry(11, 'app', str(2, 'web'));
    const container = sub(2,
      str(1, 'nginx'), str(2, 'nginx:1.27'),
      sub(6, str(1, ''), int(2, 0), int(3, 80), str(4, 'TCP'), str(5, '')),
      sub(8,
        entry(1, 'cpu', sub(2, str(1, '500m'))),
        entry(1, 'memory', sub(2, str(1, '128Mi'))),
        entry(2, 'cpu', sub(2, str(1, '250m')))),
      str(14, 'IfNotPresent'));
    const spec = sub(2,
      int(1, 3),
      sub(2, entry(1, 'app', str(2, 'web'))),
      sub(3, objectMeta(1, '', '', labels), sub(2, container, str(3, 'Always'))),
      sub(4, str(1, 'RollingUpdate'), sub(2, sub(1, int(1, 0), int(2, 1), str(3, '')), sub(2, int(1, 1), int(2, 0), str(3, '25%')))),
      int(5, 0), bool(7, false));
    const { object } = decodeKubernetesProtobuf(body('apps/v1', 'Deployment', message(objectMeta(1, 'web', 'default', labels), spec, sub(3))));
    expect(Object.keys(object)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(object).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
              imagePullPolicy: 'IfNotPresent',
            }],
            restartPolicy: 'Always',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      },
      status: {},
    });
  });

  it('decodes a SelfSubjectAccessReview (kubectl auth can-i): non-omitempty zero values stay', () => {
    const attributes = sub(1, str(1, 'default'), str(2, 'create'), str(3, ''), str(4, ''), str(5, 'pods'), str(6, ''), str(7, ''));
    const status = sub(3, bool(1, false), str(2, ''), str(3, ''), bool(4, false));
    const { object } = decodeKubernetesProtobuf(body('authorization.k8s.io/v1', 'SelfSubjectAccessReview', message(objectMeta(1, ''), sub(2, attributes), status)));
    expect(object).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
      status: { allowed: false },
    });
  });

  it('decodes a TokenRequest with an int64 expirationSeconds', () => {
    const spec = sub(2, str(1, 'foo'), str(1, 'bar'), int(4, 600));
    const { object } = decodeKubernetesProtobuf(body('authentication.k8s.io/v1', 'TokenRequest', message(objectMeta(1, ''), spec, sub(3, str(1, ''), sub(2)))));
    expect(object.spec).toEqual({ audiences: ['foo', 'bar'], expirationSeconds: 600 });
    expect(object.status).toEqual({ token: '' }); // token is not omitempty; the empty expirationTimestamp is unset

    const large = decodeKubernetesProtobuf(body('authentication.k8s.io/v1', 'TokenRequest', message(sub(2, int(4, 2 ** 40)))));
    expect(large.object.spec).toEqual({ expirationSeconds: 2 ** 40 });
  });

  it('decodes DeleteOptions sent under any group version (meta/v1 fallback), keeping zero pointers', () => {
    const object = message(int(1, 0), sub(2, str(1, 'uid-1')), str(4, 'Background'), str(5, 'All'));
    const decoded = decodeKubernetesProtobuf(body('v1', 'DeleteOptions', object));
    expect(decoded.object).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1' },
      propagationPolicy: 'Background',
      dryRun: ['All'],
    });
    expect(decodeKubernetesProtobuf(body('apps/v1', 'DeleteOptions', message())).object).toEqual({ kind: 'DeleteOptions', apiVersion: 'apps/v1' });
  });

  it('formats metav1.Time with seconds and MicroTime with microseconds', () => {
    const meta = objectMeta(1, 'lease', 'default');
    const withTime = message(sub(1, str(1, 'x'), sub(8, int(1, 1136214245), int(2, 999_000_000))));
    expect(decodeKubernetesProtobuf(body('v1', 'ConfigMap', withTime)).object.metadata).toEqual({ name: 'x', creationTimestamp: '2006-01-02T15:04:05Z' });

    const lease = message(meta, sub(2, str(1, 'node-1'), int(2, 40), sub(4, int(1, 1136214245), int(2, 123_456_789))));
    expect(decodeKubernetesProtobuf(body('coordination.k8s.io/v1', 'Lease', lease)).object.spec).toEqual({
      holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2006-01-02T15:04:05.123456Z',
    });
    // A Time message carrying zero seconds is the Unix epoch, not the zero time.
    const epoch = message(sub(1, sub(8, int(1, 0), int(2, 0)), sub(9, int(1, 0))));
    expect(decodeKubernetesProtobuf(body('v1', 'ConfigMap', epoch)).object.metadata).toEqual({
      creationTimestamp: '1970-01-01T00:00:00Z', deletionTimestamp: '1970-01-01T00:00:00Z',
    });
  });

  it('flattens inline embedded structs (Probe embeds ProbeHandler as protobuf field 1)', () => {
    const probe = sub(10, sub(1, sub(2, str(1, '/healthz'), sub(2, int(1, 1), int(2, 0), str(3, 'http')), str(3, ''), str(4, 'HTTP'))), int(2, 5), int(3, 1));
    const pod = message(objectMeta(1, 'p'), sub(2, sub(2, str(1, 'app'), probe)));
    const { object } = decodeKubernetesProtobuf(body('v1', 'Pod', pod));
    expect((object.spec as any).containers[0]).toEqual({
      name: 'app',
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1 },
    });
  });

  it('decodes RawExtension as JSON, or as a nested protobuf object', () => {
    const json = message(objectMeta(1, 'rev'), sub(2, raw(1, utf8('{"spec":{"replicas":2}}'))), int(3, 7));
    expect(decodeKubernetesProtobuf(body('apps/v1', 'ControllerRevision', json)).object).toEqual({
      kind: 'ControllerRevision', apiVersion: 'apps/v1', metadata: { name: 'rev' }, data: { spec: { replicas: 2 } }, revision: 7,
    });
    const nested = body('v1', 'ConfigMap', message(sub(1, str(1, 'inner')), entry(2, 'k', str(2, 'v'))));
    const wrapper = message(sub(2, raw(1, nested)), int(3, 1));
    expect(decodeKubernetesProtobuf(body('apps/v1', 'ControllerRevision', wrapper)).object.data).toEqual({
      kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'inner' }, data: { k: 'v' },
    });
  });

  it('decodes list wrappers ({repeated items = 1}) as plain arrays', () => {
    const review = message(sub(2, str(3, 'alice'), entry(5, 'scopes', sub(2, str(1, 'a'), str(1, 'b'))), entry(5, 'none', sub(2))));
    expect(decodeKubernetesProtobuf(body('authorization.k8s.io/v1', 'SubjectAccessReview', review)).object.spec).toEqual({
      user: 'alice', extra: { scopes: ['a', 'b'], none: [] },
    });
    const resources = message(str(1, 'apps/v1'), sub(2, str(1, 'deployments'), bool(2, true), str(3, 'Deployment'), sub(4, str(1, 'get'), str(1, 'list'))));
    expect(decodeKubernetesProtobuf(body('v1', 'APIResourceList', resources)).object.resources).toEqual([
      { name: 'deployments', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'] },
    ]);
  });

  it('reads repeated numbers both unpacked and packed', () => {
    const requirement = (values: Part[]) => message(sub(2, sub(11, sub(1, str(1, 'FailJob'), sub(2, str(2, 'In'), ...values)))));
    const unpacked = requirement([int(3, 1), int(3, 42)]);
    const packed = requirement([(w) => { w.uint32(tag(3, BYTES)).fork().int32(1).int32(42).ldelim(); }]);
    for (const job of [unpacked, packed]) {
      expect((decodeKubernetesProtobuf(body('batch/v1', 'Job', job)).object.spec as any).podFailurePolicy)
        .toEqual({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 42] } }] });
    }
  });

  it('skips unknown fields of every wire type', () => {
    const extra: Part = (w) => {
      w.uint32(tag(90, VARINT)).uint32(7);
      w.uint32(tag(91, 1)).fixed64(1);
      w.uint32(tag(92, BYTES)).string('ignored');
      w.uint32(tag(93, 5)).fixed32(1);
    };
    expect(decodeKubernetesProtobuf(body('v1', 'ConfigMap', message(extra, sub(1, str(1, 'x'), extra)))).object)
      .toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } });
  });

  it('rejects malformed input with a BadRequest Status', () => {
    const cm = message(sub(1, str(1, 'x')));
    const cases: [Uint8Array, RegExp][] = [
      [utf8('{"kind":"ConfigMap"}'), /prefix/],
      [new Uint8Array(0), /prefix/],
      [body('v1', 'Widget', cm), /no kind "Widget" is registered for version "v1"/],
      [body('nope.example.com/v1', 'ConfigMap', cm), /no kind "ConfigMap" is registered for version "nope.example.com\/v1"/],
      [new Uint8Array([...MAGIC, ...message(raw(2, cm))]), /has no kind/],
      [body('v1', 'ConfigMap', Uint8Array.of(0x0a, 0x05, 0x0a)), /index out of range/], // length beyond the end
      [body('v1', 'ConfigMap', Uint8Array.of(0x38, 0xff, 0xff)), /index out of range/], // truncated varint
      [body('v1', 'ConfigMap', message(int(1, 5))), /wrong wire type varint for field "metadata" of ConfigMap/],
      [body('v1', 'ConfigMap', message((w) => { w.uint32(tag(99, 7)); })), /invalid wire type 7/],
      [body('v1', 'ConfigMap', Uint8Array.of(0x0f)), /wrong wire type 7 for field "metadata" of ConfigMap/],
      [body('v1', 'ConfigMap', Uint8Array.of(0x00, 0x01)), /invalid field number 0/],
      [body('apps/v1', 'ControllerRevision', message(sub(2, raw(1, utf8('{not json'))))), /not valid JSON/],
    ];
    for (const [bytes, pattern] of cases) {
      const error = decodeError(bytes);
      expect(error.code).toBe(400);
      expect(error.reason).toBe('BadRequest');
      expect(error.message).toMatch(/^failed to decode protobuf body: /);
      expect(error.message).toMatch(pattern);
    }
  });

  it('never hangs or crashes on garbage', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const valid = body('apps/v1', 'Deployment', message(objectMeta(1, 'web', 'default'), sub(2, int(1, 3), sub(3, sub(2, sub(2, str(1, 'c')))))));
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 ? valid.slice() : new Uint8Array([...MAGIC, ...Array.from({ length: 1 + Math.floor(random() * 60) }, () => Math.floor(random() * 256))]);
      if (i % 2) for (let flips = 0; flips < 3; flips++) bytes[4 + Math.floor(random() * (bytes.length - 4))] = Math.floor(random() * 256);
      try {
        decodeKubernetesProtobuf(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(StatusError);
        expect((error as StatusError).message).toMatch(/^failed to decode protobuf body: /);
      }
    }
  });

  it('limits nesting', () => {
    let nested = body('v1', 'ConfigMap', message());
    for (let i = 0; i < 120; i++) nested = body('apps/v1', 'ControllerRevision', message(sub(2, raw(1, nested))));
    expect(decodeError(nested).message).toMatch(/nested too deeply/);
  });
});

describe('formatGoDuration', () => {
  it('writes time.Duration.String()', () => {
    expect(formatGoDuration(0n)).toBe('0s');
    expect(formatGoDuration(1n)).toBe('1ns');
    expect(formatGoDuration(1_500n)).toBe('1.5µs');
    expect(formatGoDuration(2_000_000n)).toBe('2ms');
    expect(formatGoDuration(1_500_000_000n)).toBe('1.5s');
    expect(formatGoDuration(3_600_000_000_000n)).toBe('1h0m0s');
    expect(formatGoDuration(-(90n * 60_000_000_000n + 500_000_000n))).toBe('-1h30m0.5s');
  });
});
