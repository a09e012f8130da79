// The apiextensions.k8s.io group (v1): CustomResourceDefinitions (their registry entry and strategy;
// serving the custom resources themselves is the server's).
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  dns1035Label, dns1123Subdomain, duplicates, eachItem, immutable, invalidEach, oneOf, portNumber,
  required, requiredName, shown, type Errors,
} from './validation.ts';

const storageVersion = (crd: Obj): string | undefined => items(crd.spec?.versions).find(v => v?.storage)?.name;

function defaultCRD(crd: Obj): void {
  const spec = child(crd, 'spec');
  const names = child(spec, 'names');
  if (!names.singular && names.kind) names.singular = String(names.kind).toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  setDefault(spec, 'conversion', { strategy: 'None' });
  const service = spec.conversion?.webhook?.clientConfig?.service;
  if (spec.conversion?.strategy === 'Webhook' && service) setDefault(service, 'port', 443);
}

/** Kubernetes joins all format problems of a name into one message. */
const joined = (path: string, value: unknown, messages: string[], prefix = ''): Errors =>
  (messages.length ? [field.invalid(path, value, prefix + messages.join(','))] : []);

function validateNames(names: Obj, path: string): Errors {
  const mixedCase = 'may have mixed case, but should otherwise match: ';
  const errs = [
    ...required(names.plural, `${path}.plural`),
    ...required(names.singular, `${path}.singular`),
    ...required(names.kind, `${path}.kind`),
    ...required(names.listKind, `${path}.listKind`),
    ...(names.plural ? joined(`${path}.plural`, names.plural, dns1035Label(String(names.plural))) : []),
    ...(names.singular ? joined(`${path}.singular`, names.singular, dns1035Label(String(names.singular))) : []),
    ...(names.kind ? joined(`${path}.kind`, names.kind, dns1035Label(String(names.kind).toLowerCase()), mixedCase) : []),
    ...(names.listKind ? joined(`${path}.listKind`, names.listKind, dns1035Label(String(names.listKind).toLowerCase()), mixedCase) : []),
    ...eachItem(names.shortNames, `${path}.shortNames`, (s, p) => joined(p, s, dns1035Label(String(s)))),
    ...eachItem(names.categories, `${path}.categories`, (c, p) => joined(p, c, dns1035Label(String(c)))),
  ];
  if (names.kind && names.kind === names.listKind) errs.push(field.invalid(`${path}.listKind`, names.listKind, 'kind and listKind cannot be the same'));
  return errs;
}

function validateCRD(crd: Obj): Errors {
  const spec = crd.spec ?? {};
  const errs: Errors = [];
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata?.name !== expected) errs.push(field.invalid('metadata.name', crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) errs.push(field.required('spec.group', ''));
  else {
    errs.push(...invalidEach('spec.group', spec.group, dns1123Subdomain(spec.group)));
    if (!String(spec.group).includes('.')) errs.push(field.invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(field.required('spec.scope', ''));
  else errs.push(...oneOf(spec.scope, ['Cluster', 'Namespaced'], 'spec.scope'));
  const versions = items(spec.versions);
  if (versions.length === 0) errs.push(field.required('spec.versions', 'must have exactly one version marked as storage version'));
  else {
    if (versions.filter(v => v?.storage).length !== 1) errs.push(field.invalid('spec.versions', shown(versions), 'must have exactly one version marked as storage version'));
    if (!versions.some(v => v?.served)) errs.push(field.invalid('spec.versions', shown(versions), 'must have at least one version marked as served'));
  }
  errs.push(...eachItem(versions, 'spec.versions', (v, p) => [
    ...requiredName(v.name, `${p}.name`, dns1035Label),
    ...required(v.schema?.openAPIV3Schema, `${p}.schema.openAPIV3Schema`, 'schemas are required'),
  ]));
  errs.push(...duplicates(versions, 'spec.versions', v => v.name, '.name'));
  errs.push(...validateNames(spec.names ?? {}, 'spec.names'));
  const conversion = spec.conversion ?? {};
  errs.push(...oneOf(conversion.strategy, ['None', 'Webhook'], 'spec.conversion.strategy'));
  if (conversion.strategy === 'Webhook') {
    const cc = conversion.webhook?.clientConfig;
    if (!cc) errs.push(field.required('spec.conversion.webhook.clientConfig', 'required when strategy is set to Webhook'));
    else if (!cc.url === !cc.service) errs.push(field.required('spec.conversion.webhook.clientConfig', 'exactly one of url or service is required'));
    else if (cc.service?.port !== undefined) errs.push(...invalidEach('spec.conversion.webhook.clientConfig.service.port', cc.service.port, portNumber(cc.service.port)));
    if (items(conversion.webhook?.conversionReviewVersions).length === 0) {
      errs.push(field.required('spec.conversion.webhook.conversionReviewVersions', 'must specify one of v1, v1beta1'));
    }
  }
  return errs;
}

const crdStrategy: Strategy = {
  defaults: defaultCRD,
  prepareForCreate(crd) {
    const stored = storageVersion(crd);
    // acceptedNames is a non-omitempty struct: Go writes it empty until the controller accepts the names.
    crd.status = { acceptedNames: { kind: '', plural: '' }, storedVersions: stored ? [stored] : [] };
  },
  validate: validateCRD,
  validateUpdate: (crd, old) => [
    ...immutable(crd.spec?.group, old.spec?.group, 'spec.group'),
    ...immutable(crd.spec?.scope, old.spec?.scope, 'spec.scope'),
  ],
};

const apiextensions = apiVersion('apiextensions.k8s.io', 'v1');

export const apiextensionsResources: ResourceDef[] = [
  apiextensions('customresourcedefinitions', 'CustomResourceDefinition', {
    namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], hasStatus: true, generation: true,
    strategy: crdStrategy,
  }),
];
