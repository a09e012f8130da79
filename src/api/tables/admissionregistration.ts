// Table columns of admissionregistration.k8s.io, as kube-apiserver's printers define them.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type {
  MutatingWebhookConfiguration, ParamKind, ParamRef, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
  ValidatingWebhookConfiguration,
} from 'kubernetes-types/admissionregistration/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

// MutatingAdmissionPolicy (v1beta1) is newer than kubernetes-types: the fields the columns read.
interface MutatingAdmissionPolicy { spec?: { mutations?: unknown[]; paramKind?: ParamKind } }
interface MutatingAdmissionPolicyBinding { spec?: { policyName?: string; paramRef?: ParamRef } }

const WEBHOOKS_DOC = 'Webhooks indicates the number of webhooks registered in this configuration';
const PARAM_KIND_DOC = 'ParamKind specifies the kind of resources used to parameterize this policy';
const POLICY_NAME_DOC = 'PolicyName indicates the policy definition which the policy binding binded to';
const PARAM_REF_DOC = 'ParamRef indicates the param resource which sets the configration param';

const paramKind = (kind: ParamKind | undefined) => (kind ? `${kind.apiVersion ?? ''}/${kind.kind ?? ''}` : '<unset>');

/**
 * A LabelSelector as Go's generated String() method renders it, which is what kube-apiserver
 * prints for a selector-based paramRef.
 */
function goSelectorString(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels ?? {}).sort()
    .map((k) => `${k}: ${selector.matchLabels![k]},`).join('');
  const expressions = (selector.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/** The param a binding uses: `namespace/name` (namespace `*` when left open), or its selector. */
function paramRef(ref: ParamRef | undefined): string {
  if (!ref) return '<unset>';
  if (ref.name) return `${ref.namespace || '*'}/${ref.name}`;
  return ref.selector ? goSelectorString(ref.selector) : '<unset>';
}

const webhookConfigurations: Column[] = [
  nameColumn,
  col<MutatingWebhookConfiguration | ValidatingWebhookConfiguration>('Webhooks', 'integer', WEBHOOKS_DOC, (c) => c.webhooks?.length ?? 0),
  ageColumn,
];

const validatingAdmissionPolicies: Column[] = [
  nameColumn,
  col<ValidatingAdmissionPolicy>('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration', (p) => p.spec?.validations?.length ?? 0),
  col<ValidatingAdmissionPolicy>('ParamKind', 'string', PARAM_KIND_DOC, (p) => paramKind(p.spec?.paramKind)),
  ageColumn,
];

const mutatingAdmissionPolicies: Column[] = [
  nameColumn,
  col<MutatingAdmissionPolicy>('Mutations', 'integer', 'Mutation indicates the number of mutations rules defined in this configuration', (p) => p.spec?.mutations?.length ?? 0),
  col<MutatingAdmissionPolicy>('ParamKind', 'string', PARAM_KIND_DOC, (p) => paramKind(p.spec?.paramKind)),
  ageColumn,
];

const policyBindings: Column[] = [
  nameColumn,
  col<ValidatingAdmissionPolicyBinding | MutatingAdmissionPolicyBinding>('PolicyName', 'string', POLICY_NAME_DOC, (b) => b.spec?.policyName ?? ''),
  col<ValidatingAdmissionPolicyBinding | MutatingAdmissionPolicyBinding>('ParamRef', 'string', PARAM_REF_DOC, (b) => paramRef(b.spec?.paramRef)),
  ageColumn,
];

export const admissionregistrationColumns: Record<string, Column[]> = {
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurations,
  'validatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurations,
  'validatingadmissionpolicies.admissionregistration.k8s.io': validatingAdmissionPolicies,
  'validatingadmissionpolicybindings.admissionregistration.k8s.io': policyBindings,
  'mutatingadmissionpolicies.admissionregistration.k8s.io': mutatingAdmissionPolicies,
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io': policyBindings,
};
