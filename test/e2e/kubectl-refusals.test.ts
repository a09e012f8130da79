// What kubectl shows when the server refuses a request: missing or wrong credentials, unknown
// fields under strict validation, invalid names and labels. Each refusal leaves nothing stored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlFor } from '../support/kubectl.ts';
import { fails, lines, ok, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string | string[], input?: string) => cluster.kubectl(args, { input });

/** A copy of the server's kubeconfig whose user entry is replaced. */
function kubeconfigWithUser(name: string, userLines: string[]): string {
  const original = readFileSync(cluster.server.kubeconfig, 'utf8');
  const tokenLine = lines(original).find(l => l.trim().startsWith('token:'))!;
  const indent = tokenLine.slice(0, tokenLine.indexOf('token:'));
  const path = join(cluster.server.dataDir, name);
  writeFileSync(path, original.replace(tokenLine, userLines.map(l => indent + l).join('\n')));
  return path;
}

describe('authentication', () => {
  it('refuses a wrong token', async () => {
    const intruder = kubectlFor(kubeconfigWithUser('wrong-token.kubeconfig', ['token: not-the-token']));
    // Requests whose 401 Status kubectl decodes print the server's reason.
    expect(fails(await intruder('get --raw /api/v1/namespaces'))).toBe('error: You must be logged in to the server (Unauthorized)\n');
    expect(fails(await intruder('create namespace sneaky'))).toBe('error: You must be logged in to the server (Unauthorized)\n');
    // Through discovery, client-go words the same 401 differently.
    expect(lines(fails(await intruder('get namespaces'))).at(-1)).toBe(
      'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
    expect(fails(await kubectl('get namespace sneaky'))).toBe('Error from server (NotFound): namespaces "sneaky" not found\n');
  });

  it('refuses a request without a token', async () => {
    // With no credential at all kubectl would prompt for a password; a client certificate the server
    // does not ask for keeps it quiet, so the requests go out with no Authorization header.
    const anonymous = kubectlFor(kubeconfigWithUser('no-token.kubeconfig', [
      `client-certificate: ${join(cluster.server.dataDir, 'server.crt')}`,
      `client-key: ${join(cluster.server.dataDir, 'server.key')}`,
    ]));
    expect(fails(await anonymous('get --raw /api/v1/namespaces'))).toBe('error: You must be logged in to the server (Unauthorized)\n');
    expect(fails(await anonymous('create namespace sneaky2'))).toBe('error: You must be logged in to the server (Unauthorized)\n');
    expect(fails(await kubectl('get namespace sneaky2'))).toBe('Error from server (NotFound): namespaces "sneaky2" not found\n');
    // The version is public, as on kube-apiserver.
    expect(ok(await anonymous('version'))).toMatch(/^Server Version: v1\.\d+\.\d+$/m);
  });
});

describe('strict field validation', () => {
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict}\ndata: {a: b}\nbogus: 1\n';
  const deployment = (extra: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: strict}
spec:
  replicas: 1
  selector: {matchLabels: {app: strict}}
  template:
    metadata: {labels: {app: strict}}
    spec:
      containers: [{name: c, image: "nginx:1.27"${extra}}]
`;

  it('refuses unknown fields on create and apply, storing nothing', async () => {
    ok(await kubectl('create namespace r-strict'));
    expect(fails(await kubectl('-n r-strict create -f -', configMap))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n');
    expect(fails(await kubectl('-n r-strict apply -f -', configMap))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n');
    // The path names nested unknown fields.
    expect(fails(await kubectl('-n r-strict apply -f -', deployment(', imagePolicy: Always')))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy"\n');
    expect(fails(await kubectl('-n r-strict get configmap strict'))).toBe('Error from server (NotFound): configmaps "strict" not found\n');
    expect(fails(await kubectl('-n r-strict get deployment strict'))).toBe('Error from server (NotFound): deployments.apps "strict" not found\n');
  });

  it('refuses an unknown field in an apply patch, keeping the stored object', async () => {
    ok(await kubectl('create namespace r-strict-patch'));
    ok(await kubectl('-n r-strict-patch apply -f -', deployment('')));
    const err = lines(fails(await kubectl('-n r-strict-patch apply -f -', deployment(', image2: x'))));
    expect(err[0]).toBe('Error from server (BadRequest): error when applying patch:');
    expect(err.at(-1)).toBe('for: "STDIN": error when patching "STDIN": strict decoding error: unknown field "spec.template.spec.containers[0].image2"');
    const live = JSON.parse(ok(await kubectl('-n r-strict-patch get deploy strict -o json')));
    expect(live.metadata.generation).toBe(1);
    expect(live.spec.template.spec.containers).toEqual([expect.not.objectContaining({ image2: expect.anything() })]);
  });

  it('--validate=warn warns and drops the field; --validate=ignore drops it silently', async () => {
    ok(await kubectl('create namespace r-lenient'));
    const warned = await kubectl('-n r-lenient create -f - --validate=warn', configMap);
    expect(warned).toEqual({ code: 0, stdout: 'configmap/strict created\n', stderr: 'Warning: unknown field "bogus"\n' });
    ok(await kubectl('-n r-lenient delete configmap strict'));
    expect(ok(await kubectl('-n r-lenient create -f - --validate=ignore', configMap))).toBe('configmap/strict created\n');
    const stored = JSON.parse(ok(await kubectl('-n r-lenient get configmap strict -o json')));
    expect(stored.data).toEqual({ a: 'b' });
    expect(stored.bogus).toBeUndefined();
  });
});

describe('object validation', () => {
  it('refuses invalid names and labels with one cause per field, storing nothing', async () => {
    ok(await kubectl('create namespace r-invalid'));
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  labels: {"bad key!": "-x-"}\n';
    expect(lines(fails(await kubectl('-n r-invalid create -f -', bad)))).toEqual([
      'The ConfigMap "Bad_Name" is invalid: ',
      `* metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `* metadata.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `* metadata.labels: Invalid value: "-x-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);

    // The same through a generator (protobuf body) and through a label added later.
    expect(fails(await kubectl('-n r-invalid create configmap UPPER'))).toMatch(/^error: failed to create configmap: ConfigMap "UPPER" is invalid: metadata\.name: Invalid value: "UPPER": a lowercase RFC 1123 subdomain/);
    ok(await kubectl('-n r-invalid create configmap fine'));
    expect(fails(await kubectl(['-n', 'r-invalid', 'patch', 'configmap', 'fine', '--type', 'merge', '-p', '{"metadata":{"labels":{"app":"-bad-"}}}']))).toBe(
      `The ConfigMap "fine" is invalid: metadata.labels: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n`);

    expect(fails(await kubectl('-n r-invalid get configmap Bad_Name'))).toBe('Error from server (NotFound): configmaps "Bad_Name" not found\n');
    expect(fails(await kubectl('-n r-invalid get configmap UPPER'))).toBe('Error from server (NotFound): configmaps "UPPER" not found\n');
    expect(ok(await kubectl('-n r-invalid get configmap fine -o jsonpath={.metadata.labels}'))).toBe('');
  });
});
