// The storage.k8s.io group (v1): StorageClasses, CSI objects, VolumeAttachments, VolumeAttributesClasses.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, deepEqual, entries, items, setDefault } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  dns1123Subdomain, duplicates, eachItem, immutable, invalidEach, oneOf, qualifiedName, required, requiredName,
  requiredOneOf, shown, validateLabelSelector, validateQuantity, type Errors,
} from './validation.ts';

/** CSI driver names: DNS subdomains of at most 63 characters. */
function csiDriverName(name: string): string[] {
  return [...(name.length > 63 ? ['must be no more than 63 characters'] : []), ...dns1123Subdomain(name.toLowerCase())];
}

const storageClassStrategy: Strategy = {
  defaults(sc) {
    setDefault(sc, 'reclaimPolicy', 'Delete');
    setDefault(sc, 'volumeBindingMode', 'Immediate');
  },
  validate(sc) {
    const errs: Errors = sc.provisioner ? invalidEach('provisioner', sc.provisioner, qualifiedName(String(sc.provisioner).toLowerCase())) : [field.required('provisioner', '')];
    for (const [k] of entries(sc.parameters)) if (!k) errs.push(field.invalid('parameters', k, 'field can not be empty.'));
    errs.push(...oneOf(sc.reclaimPolicy, ['Delete', 'Retain'], 'reclaimPolicy'));
    errs.push(...requiredOneOf(sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'], 'volumeBindingMode'));
    return errs;
  },
  validateUpdate(sc, old) {
    const errs: Errors = [];
    if (!deepEqual(sc.parameters, old.parameters)) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc.provisioner !== old.provisioner) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    return [...errs, ...immutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode')];
  },
};

const csiDriverStrategy: Strategy = {
  defaults(driver) {
    const spec = child(driver, 'spec');
    setDefault(spec, 'attachRequired', true);
    setDefault(spec, 'podInfoOnMount', false);
    setDefault(spec, 'storageCapacity', false);
    setDefault(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    if (items(spec.volumeLifecycleModes).length === 0) spec.volumeLifecycleModes = ['Persistent'];
    setDefault(spec, 'requiresRepublish', false);
    setDefault(spec, 'seLinuxMount', false);
  },
  validate(driver) {
    const spec = driver.spec ?? {};
    return [
      ...invalidEach('metadata.name', driver.metadata?.name ?? '', csiDriverName(driver.metadata?.name ?? '')),
      ...oneOf(spec.fsGroupPolicy, ['File', 'None', 'ReadWriteOnceWithFSType'], 'spec.fsGroupPolicy'),
      ...eachItem(spec.volumeLifecycleModes, 'spec.volumeLifecycleModes', (m, p) => oneOf(m, ['Ephemeral', 'Persistent'], p)),
    ];
  },
  validateUpdate: (driver, old) => [
    ...immutable(driver.spec?.attachRequired, old.spec?.attachRequired, 'spec.attachRequired'),
    ...immutable(driver.spec?.volumeLifecycleModes, old.spec?.volumeLifecycleModes, 'spec.volumeLifecycleModes'),
  ],
};

const csiNodeStrategy: Strategy = {
  validate: node => [
    ...eachItem(node.spec?.drivers, 'spec.drivers', (d, p) => [
      ...requiredName(d.name, `${p}.name`, csiDriverName),
      ...required(d.nodeID, `${p}.nodeID`),
    ]),
    ...duplicates(node.spec?.drivers, 'spec.drivers', d => d.name, '.name'),
  ],
};

const volumeAttachmentStrategy: Strategy = {
  // `attached` is written by Go even when false.
  prepareForCreate(va) { va.status = { attached: false }; },
  validate(va) {
    const spec = va.spec ?? {};
    const errs = [...requiredName(spec.attacher, 'spec.attacher', csiDriverName), ...requiredName(spec.nodeName, 'spec.nodeName', dns1123Subdomain)];
    const sources = ['persistentVolumeName', 'inlineVolumeSpec'].filter(k => spec.source?.[k]);
    if (sources.length !== 1) errs.push(field.required('spec.source', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
    return errs;
  },
  validateUpdate: (va, old) => (deepEqual(va.spec, old.spec) ? [] : [field.invalid('spec', shown(va.spec), 'field is immutable')]),
};

const csiStorageCapacityStrategy: Strategy = {
  validate: cap => [
    ...requiredName(cap.storageClassName, 'storageClassName', dns1123Subdomain),
    ...validateLabelSelector(cap.nodeTopology, 'nodeTopology'),
    ...(cap.capacity === undefined ? [] : validateQuantity(cap.capacity, 'capacity').errors),
    ...(cap.maximumVolumeSize === undefined ? [] : validateQuantity(cap.maximumVolumeSize, 'maximumVolumeSize').errors),
  ],
};

const volumeAttributesClassStrategy: Strategy = {
  validate: vac => [
    ...requiredName(vac.driverName, 'driverName', csiDriverName),
    ...entries(vac.parameters).flatMap(([k]) => (k ? [] : [field.invalid('parameters', k, 'field can not be empty.')])),
  ],
  validateUpdate: (vac, old) => [
    ...immutable(vac.driverName, old.driverName, 'driverName'),
    ...(deepEqual(vac.parameters, old.parameters) ? [] : [field.forbidden('parameters', 'field is immutable')]),
  ],
};

const storage = apiVersion('storage.k8s.io', 'v1');

export const storageResources: ResourceDef[] = [
  storage('storageclasses', 'StorageClass', { namespaced: false, shortNames: ['sc'], strategy: storageClassStrategy }),
  storage('csidrivers', 'CSIDriver', { namespaced: false, strategy: csiDriverStrategy }),
  storage('csinodes', 'CSINode', { namespaced: false, strategy: csiNodeStrategy }),
  storage('volumeattachments', 'VolumeAttachment', { namespaced: false, hasStatus: true, strategy: volumeAttachmentStrategy }),
  storage('csistoragecapacities', 'CSIStorageCapacity', { namespaced: true, strategy: csiStorageCapacityStrategy }),
  storage('volumeattributesclasses', 'VolumeAttributesClass', { namespaced: false, shortNames: ['vac'], strategy: volumeAttributesClassStrategy }),
];
