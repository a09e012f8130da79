// kubectl explain against a real server: what it prints comes from the OpenAPI v3 documents alone,
// so each line below is what a v1.35 cluster's documents make kubectl print.
import { describe, expect, it } from 'vitest';
import { lines, ok, useCluster } from './helpers.ts';

const cluster = useCluster();
const explain = async (args: string) => lines(ok(await cluster.kubectl(`explain ${args}`)));

describe('kubectl explain', () => {
  it('walks a field recursively: nested types, IntOrString, enum values', async () => {
    expect(await explain('deployment.spec.strategy --recursive')).toEqual([
      'GROUP:      apps',
      'KIND:       Deployment',
      'VERSION:    v1',
      '',
      'FIELD: strategy <DeploymentStrategy>',
      '',
      '',
      'DESCRIPTION:',
      '    The deployment strategy to use to replace existing pods with new ones.',
      '    DeploymentStrategy describes how to replace existing pods with new ones.',
      '    ',
      'FIELDS:',
      '  rollingUpdate\t<RollingUpdateDeployment>',
      '    maxSurge\t<IntOrString>',
      '    maxUnavailable\t<IntOrString>',
      '  type\t<string>',
      '  enum: Recreate, RollingUpdate',
      '',
    ]);
  });

  it('shows maps of quantities', async () => {
    const out = await explain('pods.spec.containers.resources');
    expect(out.slice(0, 5)).toEqual(['KIND:       Pod', 'VERSION:    v1', '', 'FIELD: resources <ResourceRequirements>', '']);
    expect(out).toContain('  limits\t<map[string]Quantity>');
    expect(out).toContain('  requests\t<map[string]Quantity>');
    expect(out).toContain('  claims\t<[]ResourceClaim>');
  });

  it('lists the enum values of a field', async () => {
    const out = await explain('svc.spec.type');
    expect(out.slice(0, 10)).toEqual([
      'KIND:       Service',
      'VERSION:    v1',
      '',
      'FIELD: type <string>',
      'ENUM:',
      '    ClusterIP',
      '    ExternalName',
      '    LoadBalancer',
      '    NodePort',
      '',
    ]);
    expect(out).toContain('    Possible enum values:');
    expect(out).toContain('     - `"ClusterIP"` means a service will only be accessible inside the cluster,');
  });

  it('describes a core kind: no GROUP line, its top-level fields', async () => {
    const out = await explain('pods');
    expect(out.slice(0, 6)).toEqual([
      'KIND:       Pod',
      'VERSION:    v1',
      '',
      'DESCRIPTION:',
      '    Pod is a collection of containers that can run on a host. This resource is',
      '    created by clients and scheduled onto hosts.',
    ]);
    const fields = out.filter(l => /^ {2}\S/.test(l));
    expect(fields).toEqual(['  apiVersion\t<string>', '  kind\t<string>', '  metadata\t<ObjectMeta>', '  spec\t<PodSpec>', '  status\t<PodStatus>']);
  });

  it('takes an explicit --api-version', async () => {
    const out = await explain('deployment --api-version=apps/v1');
    expect(out.slice(0, 5)).toEqual(['GROUP:      apps', 'KIND:       Deployment', 'VERSION:    v1', '', 'DESCRIPTION:']);
    expect(out.filter(l => /^ {2}\S/.test(l))).toEqual([
      '  apiVersion\t<string>', '  kind\t<string>', '  metadata\t<ObjectMeta>', '  spec\t<DeploymentSpec>', '  status\t<DeploymentStatus>',
    ]);
  });

  it('explains apiextensions.k8s.io kinds', async () => {
    const out = await explain('customresourcedefinitions.spec');
    expect(out.slice(0, 5)).toEqual(['GROUP:      apiextensions.k8s.io', 'KIND:       CustomResourceDefinition', 'VERSION:    v1', '', 'FIELD: spec <CustomResourceDefinitionSpec>']);
    expect(out.filter(l => /^ {2}\S/.test(l))).toEqual([
      '  conversion\t<CustomResourceConversion>',
      '  group\t<string> -required-',
      '  names\t<CustomResourceDefinitionNames> -required-',
      '  preserveUnknownFields\t<boolean>',
      '  scope\t<string> -required-',
      '  versions\t<[]CustomResourceDefinitionVersion> -required-',
    ]);
  });

  it('marks required fields and shows times as strings', async () => {
    expect((await explain('pods.spec.containers')).filter(l => /^ {2}(name|image|ports)\t/.test(l))).toEqual([
      '  image\t<string>', '  name\t<string> -required-', '  ports\t<[]ContainerPort>',
    ]);
    expect(await explain('pods.metadata.creationTimestamp')).toContain('FIELD: creationTimestamp <string>');
  });
});
