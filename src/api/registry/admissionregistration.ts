// The admissionregistration.k8s.io group (v1): webhook configurations and validating admission policies.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  dns1123Subdomain, duplicates, eachItem, oneOf, portNumber, required, requiredName, shown,
  validateLabelSelector, type Errors,
} from './validation.ts';

// ---- defaults ----

/** SetDefaults_MatchResources and _Rule: what webhooks and policies match when left unsaid. */
function defaultMatching(match: Obj): void {
  setDefault(match, 'matchPolicy', 'Equivalent');
  setDefault(match, 'namespaceSelector', {});
  setDefault(match, 'objectSelector', {});
}

function defaultWebhook(hook: Obj, mutating: boolean): void {
  setDefault(hook, 'failurePolicy', 'Fail');
  defaultMatching(hook);
  setDefault(hook, 'timeoutSeconds', 10);
  if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
  for (const rule of items(hook.rules)) if (rule) setDefault(rule, 'scope', '*');
  if (hook.clientConfig?.service) setDefault(hook.clientConfig.service, 'port', 443);
}

// ---- validation ----

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

/** Webhook names are fully qualified: a DNS subdomain of at least three labels. */
function webhookName(name: unknown, path: string): Errors {
  if (!name) return [field.required(path, '')];
  const errs = dns1123Subdomain(String(name));
  if (errs.length) return [field.invalid(path, name, errs.join(','))];
  return String(name).split('.').length < 3 ? [field.invalid(path, name, 'should be a domain with at least three segments separated by dots')] : [];
}

function validateRules(rules: unknown, path: string): Errors {
  return eachItem(rules, path, (rule, p) => [
    ...(items(rule.operations).length ? eachItem(rule.operations, `${p}.operations`, (op, opPath) => oneOf(op, OPERATIONS, opPath)) : [field.required(`${p}.operations`, '')]),
    ...required(rule.apiGroups, `${p}.apiGroups`),
    ...required(rule.apiVersions, `${p}.apiVersions`),
    ...required(rule.resources, `${p}.resources`),
    ...oneOf(rule.scope, SCOPES, `${p}.scope`),
  ]);
}

function validateClientConfig(cc: Obj | undefined, path: string): Errors {
  if (!cc || !cc.url === !cc.service) return [field.required(path, 'exactly one of url or service is required')];
  if (cc.url) {
    let url: URL;
    try { url = new URL(cc.url); } catch { return [field.invalid(`${path}.url`, cc.url, 'host must be specified')]; }
    const errs: Errors = [];
    if (url.protocol !== 'https:') errs.push(field.invalid(`${path}.url`, url.protocol.replace(/:$/, ''), "'https' is the only allowed URL scheme"));
    if (!url.host) errs.push(field.invalid(`${path}.url`, url.host, 'host must be specified'));
    if (url.username || url.password) errs.push(field.invalid(`${path}.url`, url.username, 'user information is not permitted in the URL'));
    if (url.hash) errs.push(field.invalid(`${path}.url`, url.hash.slice(1), 'fragments are not permitted in the URL'));
    if (url.search) errs.push(field.invalid(`${path}.url`, url.search.slice(1), 'query parameters are not permitted in the URL'));
    return errs;
  }
  const s = cc.service;
  const errs = [...required(s.name, `${path}.service.name`), ...required(s.namespace, `${path}.service.namespace`)];
  if (s.port !== undefined) errs.push(...portNumber(s.port).map(m => field.invalid(`${path}.service.port`, s.port, `port is not valid: ${m}`)));
  return errs;
}

function validateWebhook(hook: Obj, path: string, mutating: boolean): Errors {
  const errs = [
    ...webhookName(hook.name, `${path}.name`),
    ...validateRules(hook.rules, `${path}.rules`),
    ...oneOf(hook.failurePolicy, ['Fail', 'Ignore'], `${path}.failurePolicy`),
    ...oneOf(hook.matchPolicy, ['Equivalent', 'Exact'], `${path}.matchPolicy`),
    ...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`),
    ...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`),
    ...validateClientConfig(hook.clientConfig, `${path}.clientConfig`),
  ];
  if (!hook.sideEffects) errs.push(field.required(`${path}.sideEffects`, 'must specify one of None, NoneOnDryRun'));
  else errs.push(...oneOf(hook.sideEffects, ['None', 'NoneOnDryRun'], `${path}.sideEffects`));
  const versions = items(hook.admissionReviewVersions);
  if (versions.length === 0) errs.push(field.required(`${path}.admissionReviewVersions`, 'must specify one of v1, v1beta1'));
  else if (!versions.some(v => REVIEW_VERSIONS.includes(v))) errs.push(field.invalid(`${path}.admissionReviewVersions`, versions, 'must include at least one of v1, v1beta1'));
  if (typeof hook.timeoutSeconds === 'number' && (hook.timeoutSeconds < 1 || hook.timeoutSeconds > 30)) {
    errs.push(field.invalid(`${path}.timeoutSeconds`, hook.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  }
  if (mutating) errs.push(...oneOf(hook.reinvocationPolicy, ['IfNeeded', 'Never'], `${path}.reinvocationPolicy`));
  return errs;
}

const webhookConfigurationStrategy = (mutating: boolean): Strategy => ({
  defaults: config => { for (const hook of items(config.webhooks)) if (hook) defaultWebhook(hook, mutating); },
  validate: config => [
    ...eachItem(config.webhooks, 'webhooks', (hook, p) => validateWebhook(hook, p, mutating)),
    ...duplicates(config.webhooks, 'webhooks', hook => hook.name, '.name'),
  ],
});

const validatingAdmissionPolicyStrategy: Strategy = {
  defaults(policy) {
    const spec = child(policy, 'spec');
    setDefault(spec, 'failurePolicy', 'Fail');
    if (spec.matchConstraints) {
      defaultMatching(spec.matchConstraints);
      for (const rule of items(spec.matchConstraints.resourceRules)) if (rule) setDefault(rule, 'scope', '*');
    }
  },
  prepareForCreate(policy) { policy.status = {}; },
  validate(policy) {
    const spec = policy.spec ?? {};
    const errs: Errors = [];
    if (!spec.matchConstraints) errs.push(field.required('spec.matchConstraints', ''));
    else if (items(spec.matchConstraints.resourceRules).length === 0) errs.push(field.required('spec.matchConstraints.resourceRules', ''));
    if (items(spec.validations).length === 0 && items(spec.auditAnnotations).length === 0) {
      errs.push(field.required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    }
    errs.push(...eachItem(spec.validations, 'spec.validations', (v, p) => required(v.expression, `${p}.expression`)));
    errs.push(...oneOf(spec.failurePolicy, ['Fail', 'Ignore'], 'spec.failurePolicy'));
    errs.push(...optionalKind(spec.paramKind));
    return errs;
  },
};

function optionalKind(paramKind: Obj | undefined): Errors {
  if (!paramKind) return [];
  return [...required(paramKind.apiVersion, 'spec.paramKind.apiVersion'), ...required(paramKind.kind, 'spec.paramKind.kind')];
}

const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];

const validatingAdmissionPolicyBindingStrategy: Strategy = {
  defaults(binding) {
    const match = binding.spec?.matchResources;
    if (match) defaultMatching(match);
  },
  validate(binding) {
    const spec = binding.spec ?? {};
    const errs = requiredName(spec.policyName, 'spec.policyName', dns1123Subdomain);
    const actions = items(spec.validationActions);
    if (actions.length === 0) errs.push(field.required('spec.validationActions', 'at least one validation action is required'));
    errs.push(...eachItem(actions, 'spec.validationActions', (a, p) => oneOf(a, VALIDATION_ACTIONS, p)));
    errs.push(...duplicates(actions, 'spec.validationActions', a => a, ''));
    if (actions.includes('Deny') && actions.includes('Warn')) {
      errs.push(field.invalid('spec.validationActions', shown(actions), 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
    }
    if (spec.paramRef) errs.push(...oneOf(spec.paramRef.parameterNotFoundAction, ['Allow', 'Deny'], 'spec.paramRef.parameterNotFoundAction'));
    if (spec.paramRef && !spec.paramRef.parameterNotFoundAction) errs.push(field.required('spec.paramRef.parameterNotFoundAction', ''));
    return errs;
  },
};

const admission = apiVersion('admissionregistration.k8s.io', 'v1');
const extension = { namespaced: false, categories: ['api-extensions'], generation: true };

export const admissionRegistrationResources: ResourceDef[] = [
  admission('mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', { ...extension, strategy: webhookConfigurationStrategy(true) }),
  admission('validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', { ...extension, strategy: webhookConfigurationStrategy(false) }),
  admission('validatingadmissionpolicies', 'ValidatingAdmissionPolicy', { ...extension, hasStatus: true, strategy: validatingAdmissionPolicyStrategy }),
  admission('validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', { ...extension, strategy: validatingAdmissionPolicyBindingStrategy }),
];
