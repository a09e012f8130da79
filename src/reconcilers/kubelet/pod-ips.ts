// Pod addresses from each node's podCIDR(s), as a CNI's host-local IPAM hands them out: the lowest free
// address, the first one (.1) kept for the node's bridge. An address is held from assignment until the pod
// is gone or finished; it is learnt back from pods' status.podIPs after a restart.

interface Range { v6: boolean; base: bigint; size: bigint }

function parseIP(text: string): { v6: boolean; value: bigint } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some(o => o > 255)) return undefined;
    return { v6: false, value: octets.reduce((n, o) => n * 256n + BigInt(o), 0n) };
  }
  if (!text.includes(':')) return undefined;
  const [head, tail = ''] = text.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head), t = text.includes('::') ? groups(tail) : [];
  const all = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (all.length !== 8 || all.some(g => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v6: true, value: all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

function formatIP(v6: boolean, value: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map(s => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // The longest run of zero groups becomes "::" (RFC 5952).
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j + 1;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function parseCIDR(cidr: string): Range | undefined {
  const [ip, bits] = cidr.split('/');
  const parsed = parseIP(ip ?? '');
  const prefix = Number(bits);
  const width = parsed?.v6 ? 128 : 32;
  if (!parsed || !Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const size = 1n << BigInt(width - prefix);
  return { v6: parsed.v6, base: parsed.value - (parsed.value % size), size };
}

/** The node's ranges, IPv4 first (podIPs list the primary family first, as the node's podCIDRs do). */
function rangesOf(node: { spec?: { podCIDR?: string; podCIDRs?: string[] } }): Range[] {
  const cidrs = node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];
  return cidrs.map(parseCIDR).filter((r): r is Range => !!r);
}

/** The first usable offset: the network address and the bridge's (.1) are not for pods. */
const FIRST = 2n;

export class PodAddresses {
  /** By node: offset → pod key. */
  private readonly used = new Map<string, Map<bigint, string>>();
  /** By pod key: where it holds an address. */
  private readonly held = new Map<string, { node: string; offset: bigint }>();

  /**
   * Records what a pod holds now: its status.podIP on its node while it runs; nothing once it is gone or
   * finished. A pod without an IP keeps what `assign` reserved for it (its status write may be pending).
   */
  observe(key: string, pod: { spec?: { nodeName?: string; hostNetwork?: boolean }; status?: { podIP?: string; phase?: string } } | undefined,
    node: { spec?: { podCIDR?: string; podCIDRs?: string[] } } | undefined) {
    const phase = pod?.status?.phase;
    if (!pod || phase === 'Succeeded' || phase === 'Failed' || pod.spec?.hostNetwork) { this.release(key); return; }
    const ip = pod.status?.podIP ? parseIP(pod.status.podIP) : undefined;
    const range = node ? rangesOf(node)[0] : undefined;
    if (!ip || !range || ip.v6 !== range.v6) return;
    const offset = ip.value - range.base;
    if (offset < 0n || offset >= range.size) return;
    this.hold(key, pod.spec!.nodeName!, offset);
  }

  /** The pod's addresses (one per range of the node), reserving the lowest free one; undefined when the node has no range or it is full. */
  assign(key: string, nodeName: string, node: { spec?: { podCIDR?: string; podCIDRs?: string[] } }): string[] | undefined {
    const ranges = rangesOf(node);
    if (!ranges.length) return undefined;
    let held = this.held.get(key);
    if (held?.node !== nodeName) {
      const taken = this.used.get(nodeName);
      // The broadcast address of an IPv4 range is not for pods either.
      const limit = ranges[0].size - (ranges[0].v6 ? 0n : 1n);
      let offset = FIRST;
      while (offset < limit && taken?.has(offset)) offset++;
      if (offset >= limit) return undefined;
      this.hold(key, nodeName, offset);
      held = { node: nodeName, offset };
    }
    return ranges.filter(r => held!.offset < r.size).map(r => formatIP(r.v6, r.base + held!.offset));
  }

  release(key: string) {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    const taken = this.used.get(held.node);
    if (taken?.get(held.offset) === key) taken.delete(held.offset);
    if (taken && !taken.size) this.used.delete(held.node);
  }

  private hold(key: string, node: string, offset: bigint) {
    const held = this.held.get(key);
    if (held?.node === node && held.offset === offset) return;
    this.release(key);
    let taken = this.used.get(node);
    if (!taken) this.used.set(node, taken = new Map());
    taken.set(offset, key);
    this.held.set(key, { node, offset });
  }
}
