// Label selectors and node selector terms compiled once per object into fast predicates, with the
// semantics kube-scheduler gives them (metav1.LabelSelectorAsSelector, v1.NodeSelector).
type Labels = Record<string, string>;

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement { key: string; operator: LabelOperator; values: string[] }

export interface LabelSelector {
  /** All requirements (matchLabels become `In` with one value). */
  requirements: LabelRequirement[];
  /** A nil selector selects nothing. */
  nothing: boolean;
  /** `{}` selects everything (and topology spread counts no pods with it). */
  empty: boolean;
  matches(labels: Labels | undefined): boolean;
}

const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'In': return has(labels, r.key) && r.values.includes(labels[r.key]);
    case 'NotIn': return !has(labels, r.key) || !r.values.includes(labels[r.key]);
    case 'Exists': return has(labels, r.key);
    case 'DoesNotExist': return !has(labels, r.key);
  }
}

const NO_LABELS: Labels = {};

export function labelSelector(requirements: LabelRequirement[], nothing = false): LabelSelector {
  const matches = nothing ? () => false
    : requirements.length === 0 ? () => true
      : (labels: Labels | undefined) => {
        const set = labels ?? NO_LABELS;
        for (const r of requirements) if (!requirementMatches(r, set)) return false;
        return true;
      };
  return { requirements, nothing, empty: !nothing && requirements.length === 0, matches };
}

export const NOTHING = labelSelector([], true);

const compiled = new WeakMap<object, LabelSelector>();

/** A metav1.LabelSelector; undefined/null selects nothing, as LabelSelectorAsSelector makes it. */
export function compileLabelSelector(selector: any): LabelSelector {
  if (!selector || typeof selector !== 'object') return NOTHING;
  let c = compiled.get(selector);
  if (!c) {
    const requirements: LabelRequirement[] = [];
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push({ key, operator: 'In', values: [String(value)] });
    for (const e of selector.matchExpressions ?? []) requirements.push({ key: e.key, operator: e.operator, values: (e.values ?? []).map(String) });
    c = labelSelector(requirements);
    compiled.set(selector, c);
  }
  return c;
}

/** The selector plus `key In (value)` for each extra label (topology spread's matchLabelKeys). */
export function withLabels(selector: LabelSelector, extra: Labels): LabelSelector {
  const keys = Object.keys(extra);
  if (!keys.length || selector.nothing) return selector;
  return labelSelector([...selector.requirements, ...keys.map(key => ({ key, operator: 'In' as const, values: [extra[key]] }))]);
}

// ---- node selectors ----

/** What node selectors look at. */
export interface NodeView { name: string; labels: Labels }

export type NodePredicate = (node: NodeView) => boolean;

/** Gt/Lt compare the label as an integer; a label that is not one never matches. */
function integerOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number(text);
}

function nodeExpression(e: any): NodePredicate {
  const key: string = e.key;
  const values: string[] = (e.values ?? []).map(String);
  switch (e.operator) {
    case 'In': return n => has(n.labels, key) && values.includes(n.labels[key]);
    case 'NotIn': return n => !has(n.labels, key) || !values.includes(n.labels[key]);
    case 'Exists': return n => has(n.labels, key);
    case 'DoesNotExist': return n => !has(n.labels, key);
    case 'Gt': case 'Lt': {
      const bound = integerOf(values[0]);
      if (bound === undefined || values.length !== 1) return () => false;
      return e.operator === 'Gt'
        ? n => { const v = integerOf(n.labels[key]); return v !== undefined && v > bound; }
        : n => { const v = integerOf(n.labels[key]); return v !== undefined && v < bound; };
    }
    default: return () => false;
  }
}

/** matchFields supports only metadata.name with In/NotIn. */
function nodeField(e: any): NodePredicate {
  if (e.key !== 'metadata.name') return () => false;
  const values: string[] = (e.values ?? []).map(String);
  if (e.operator === 'In') return n => values.length === 1 ? n.name === values[0] : values.includes(n.name);
  if (e.operator === 'NotIn') return n => !values.includes(n.name);
  return () => false;
}

/** One NodeSelectorTerm: all its expressions and fields; a term with neither matches no node. */
export function compileNodeSelectorTerm(term: any): NodePredicate {
  const parts = [...(term?.matchExpressions ?? []).map(nodeExpression), ...(term?.matchFields ?? []).map(nodeField)];
  if (!parts.length) return () => false;
  if (parts.length === 1) return parts[0];
  return n => { for (const p of parts) if (!p(n)) return false; return true; };
}

/** A NodeSelector: any of its terms. */
export function compileNodeSelector(selector: any): NodePredicate {
  const terms: NodePredicate[] = (selector?.nodeSelectorTerms ?? []).map(compileNodeSelectorTerm);
  if (terms.length === 1) return terms[0];
  return n => { for (const t of terms) if (t(n)) return true; return false; };
}

/** spec.nodeSelector: every label equal. */
export function compileNodeLabels(nodeSelector: Labels): NodePredicate {
  const entries = Object.entries(nodeSelector);
  return n => { for (const [k, v] of entries) if (!has(n.labels, k) || n.labels[k] !== v) return false; return true; };
}
