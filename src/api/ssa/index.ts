// Field management and server-side apply (see DESIGN §2: part of the API layer's write path).
export { serverSideApply, checkAppliedConfiguration, ApplyConflict, type ApplyContext, type ApplyResult, type ConflictOwner } from './apply.ts';
export {
  trackUpdate, managerFromUserAgent, fieldScopeFor, decodeManagedFields, encodeManagedFields, NEVER_TRACKED,
  ManagedFieldsError, type UpdateContext, type FieldScope, type ManagedFieldsEntry, type Owner, type Owners, type Operation,
} from './managed-fields.ts';
export { FieldSet, FieldsV1Error, fieldSetOf, displayPath, type Path } from './fieldsets.ts';
export { rootShape, shapeOfDefinition, type Shape } from './shape.ts';
