// The certificates.k8s.io group (v1): CertificateSigningRequests.
import { field } from '../errors.ts';
import { apiVersion, subresource, text } from './define.ts';
import { deepEqual, items } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { dns1123Subdomain, duplicates, eachItem, oneOf, shown, type Errors } from './validation.ts';

const KEY_USAGES = ['signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement',
  'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth',
  'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping',
  'ocsp signing', 'microsoft sgc', 'netscape sgc'].sort();

const MIN_EXPIRATION_SECONDS = 600;

/** The request is base64 of PEM text holding a CERTIFICATE REQUEST block. */
function requestProblem(request: unknown): string | undefined {
  let pem: string;
  try { pem = atob(String(request)); } catch { return 'PEM block type must be CERTIFICATE REQUEST'; }
  const block = /-----BEGIN ([A-Z ]+)-----/.exec(pem);
  return block?.[1] === 'CERTIFICATE REQUEST' ? undefined : 'PEM block type must be CERTIFICATE REQUEST';
}

/** A signer name is a domain and a path: example.com/signer-name. */
function signerNameErrors(name: string): string[] {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"];
  return dns1123Subdomain(name.slice(0, slash));
}

const csrStrategy: Strategy = {
  prepareForCreate(csr) { csr.status = {}; },
  validate(csr) {
    const spec = csr.spec ?? {};
    const errs: Errors = [];
    if (!spec.request) errs.push(field.required('spec.request', ''));
    else {
      const problem = requestProblem(spec.request);
      if (problem) errs.push(field.invalid('spec.request', spec.request, problem));
    }
    if (items(spec.usages).length === 0) errs.push(field.required('spec.usages', ''));
    errs.push(...eachItem(spec.usages, 'spec.usages', (u, p) => oneOf(u, KEY_USAGES, p)));
    errs.push(...duplicates(spec.usages, 'spec.usages', u => u, ''));
    if (!spec.signerName) errs.push(field.required('spec.signerName', ''));
    else errs.push(...signerNameErrors(String(spec.signerName)).map(m => field.invalid('spec.signerName', spec.signerName, m)));
    if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
      errs.push(field.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
    }
    return errs;
  },
  validateUpdate: (csr, old) => (deepEqual(csr.spec, old.spec) ? [] : [field.invalid('spec', shown(csr.spec), 'field is immutable')]),
};

const certificates = apiVersion('certificates.k8s.io', 'v1');

export const certificatesResources: ResourceDef[] = [
  certificates('certificatesigningrequests', 'CertificateSigningRequest', {
    namespaced: false, shortNames: ['csr'], hasStatus: true,
    subresources: [subresource.part('approval', 'CertificateSigningRequest')],
    fieldSelectors: { 'spec.signerName': csr => text(csr.spec?.signerName) },
    strategy: csrStrategy,
  }),
];
