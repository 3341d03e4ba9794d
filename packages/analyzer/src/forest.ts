/**
 * A small random forest (CART trees, Gini impurity, bootstrap samples, a random subset of features
 * per split) with a compact JSON form. Written here because ml-cart's split search is quadratic in
 * the number of samples (it did not finish one of five folds on 3,500 rows in 13 minutes); this one
 * sorts once per feature and node and scans class counts, so training takes seconds.
 */

/** A tree as flat arrays: node i splits on feature[i] at threshold[i] (left when x <= t), or is a leaf (feature -1) with class shares. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf class distribution, rounded to 2 decimals; empty for split nodes. */
  dist: number[][];
}

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
  /** Features tried per split (default: √features). */
  mtry?: number;
  seed: number;
}

/** Mulberry32: a small deterministic PRNG so training (and the synthetic training pages) is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildTree(
  X: number[][],
  y: number[],
  weight: number[],
  idx: number[],
  nClasses: number,
  o: ForestOptions,
  rand: () => number,
): TreeJson {
  const t: TreeJson = { feature: [], threshold: [], left: [], right: [], dist: [] };
  const nFeat = X[0]!.length;
  const mtry = o.mtry ?? Math.max(1, Math.round(Math.sqrt(nFeat)));
  const counts = (ids: number[]) => {
    const c = new Array<number>(nClasses).fill(0);
    for (const i of ids) c[y[i]!]! += weight[i]!;
    return c;
  };
  const gini = (c: number[], n: number) => (n > 0 ? 1 - c.reduce((a, v) => a + (v / n) * (v / n), 0) : 0);
  const leaf = (node: number, c: number[]) => {
    const n = c.reduce((a, b) => a + b, 0) || 1;
    t.feature[node] = -1;
    t.threshold[node] = 0;
    t.left[node] = -1;
    t.right[node] = -1;
    t.dist[node] = c.map((v) => Math.round((v / n) * 100) / 100);
  };
  const grow = (ids: number[], depth: number): number => {
    const node = t.feature.length;
    t.feature.push(-1);
    const c = counts(ids);
    const total = c.reduce((a, b) => a + b, 0);
    const impurity = gini(c, total);
    if (depth >= o.maxDepth || ids.length < 2 * o.minLeaf || impurity < 1e-9) {
      leaf(node, c);
      return node;
    }
    let best = { gain: 1e-9, f: -1, thr: 0 };
    const feats = new Set<number>();
    while (feats.size < Math.min(mtry, nFeat)) feats.add(Math.floor(rand() * nFeat));
    for (const f of feats) {
      const s = [...ids].sort((a, b) => X[a]![f]! - X[b]![f]!);
      const lc = new Array<number>(nClasses).fill(0);
      let ln = 0;
      for (let k = 0; k < s.length - 1; k++) {
        const i = s[k]!;
        lc[y[i]!]! += weight[i]!;
        ln += weight[i]!;
        const v = X[i]![f]!;
        const nv = X[s[k + 1]!]![f]!;
        if (v === nv || k + 1 < o.minLeaf || s.length - k - 1 < o.minLeaf) continue;
        const rn = total - ln;
        const rc = c.map((cv, j) => cv - lc[j]!);
        const gain = impurity - (ln / total) * gini(lc, ln) - (rn / total) * gini(rc, rn);
        if (gain > best.gain) best = { gain, f, thr: (v + nv) / 2 };
      }
    }
    if (best.f < 0) {
      leaf(node, c);
      return node;
    }
    const l = ids.filter((i) => X[i]![best.f]! <= best.thr);
    const r = ids.filter((i) => X[i]![best.f]! > best.thr);
    t.feature[node] = best.f;
    t.threshold[node] = best.thr;
    t.dist[node] = [];
    t.left[node] = grow(l, depth + 1);
    t.right[node] = grow(r, depth + 1);
    return node;
  };
  grow(idx, 0);
  return t;
}

/**
 * Trains a forest on class indices `y` (0..nClasses-1). `weight` per sample (e.g. to balance
 * classes); each tree sees a bootstrap sample of the rows.
 */
export function trainForest(X: number[][], y: number[], nClasses: number, o: ForestOptions, weight = X.map(() => 1)): TreeJson[] {
  const rand = rng(o.seed);
  const trees: TreeJson[] = [];
  for (let k = 0; k < o.trees; k++) {
    const idx = X.map(() => Math.floor(rand() * X.length));
    trees.push(buildTree(X, y, weight, idx, nClasses, o, rand));
  }
  return trees;
}

/**
 * A forest packed for prediction: every tree's nodes in shared typed arrays, leaf shares as the
 * hundredths they are stored as. The JSON form as JS arrays held 46 MB for the two 150-tree models
 * (a copy in every analysis thread) and took ~0.5 s of schema checks per number at load.
 */
export class PackedForest {
  private constructor(
    readonly nTrees: number,
    readonly nClasses: number,
    private readonly roots: Int32Array,
    private readonly feature: Int32Array,
    private readonly threshold: Float64Array,
    /** Split nodes: the child for x <= threshold; leaves: the index of their shares. */
    private readonly left: Int32Array,
    private readonly right: Int32Array,
    /** Leaf class shares in hundredths, `nClasses` per leaf (zeros for classes the file leaves out). */
    private readonly shares: Uint8Array,
  ) {}

  /**
   * Packs trees as `buildTree` writes them (children after their parent), checking what prediction
   * relies on: a malformed file throws here, at load, with the tree and node at fault, instead of
   * reading out of bounds or looping while pages are analysed.
   */
  static pack(trees: readonly unknown[], nClasses: number, nFeatures: number): PackedForest {
    if (!trees.length) throw new Error('the forest has no trees');
    const isTree = (t: unknown): t is TreeJson => {
      const o = t as Partial<Record<keyof TreeJson, unknown>> | null;
      return !!o && [o.feature, o.threshold, o.left, o.right, o.dist].every(Array.isArray);
    };
    let total = 0;
    let leaves = 0;
    trees.forEach((t, k) => {
      if (!isTree(t)) throw new Error(`tree ${k} is not a tree`);
      const n = t.feature.length;
      if (!n || [t.threshold, t.left, t.right, t.dist].some((a) => a.length !== n))
        throw new Error(`tree ${k}: arrays of different lengths`);
      total += n;
      for (const f of t.feature) if (f === -1) leaves++;
    });
    const roots = new Int32Array(trees.length);
    const feature = new Int32Array(total);
    const threshold = new Float64Array(total);
    const left = new Int32Array(total);
    const right = new Int32Array(total);
    const shares = new Uint8Array(leaves * nClasses);
    let base = 0;
    let leaf = 0;
    (trees as TreeJson[]).forEach((t, k) => {
      roots[k] = base;
      const n = t.feature.length;
      for (let i = 0; i < n; i++) {
        const f = t.feature[i]!;
        const at = `tree ${k}, node ${i}`;
        if (!Number.isInteger(f) || f < -1 || f >= nFeatures) throw new Error(`${at}: feature ${f} out of range`);
        feature[base + i] = f;
        if (f >= 0) {
          const [l, r, thr] = [t.left[i]!, t.right[i]!, t.threshold[i]!];
          if (typeof thr !== 'number' || Number.isNaN(thr)) throw new Error(`${at}: threshold is not a number`);
          // Children after their parent: every walk ends at a leaf.
          for (const c of [l, r]) if (!Number.isInteger(c) || c <= i || c >= n) throw new Error(`${at}: child ${c} out of range`);
          threshold[base + i] = thr;
          left[base + i] = base + l;
          right[base + i] = base + r;
        } else {
          const d = t.dist[i];
          // buildTree rounds shares to hundredths, and k / 100 is exactly the number JSON gave back.
          const ok = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1 && Math.round(v * 100) / 100 === v;
          if (!Array.isArray(d) || d.length > nClasses || !d.every(ok))
            throw new Error(`${at}: leaf distribution is not up to ${nClasses} shares in hundredths`);
          d.forEach((v, j) => (shares[leaf * nClasses + j] = Math.round(v * 100)));
          left[base + i] = leaf++;
        }
      }
      base += n;
    });
    return new PackedForest(trees.length, nClasses, roots, feature, threshold, left, right, shares);
  }

  /** Class distribution for one sample: the mean of the trees' leaf distributions. */
  probabilities(x: readonly number[]): number[] {
    const nc = this.nClasses;
    const p = new Array<number>(nc).fill(0);
    for (let k = 0; k < this.nTrees; k++) {
      let n = this.roots[k]!;
      while (this.feature[n]! >= 0) n = x[this.feature[n]!]! <= this.threshold[n]! ? this.left[n]! : this.right[n]!;
      // (k / 100) / trees, in this order: the same double as the file's share over the trees.
      for (let j = 0, o = this.left[n]! * nc; j < nc; j++) p[j]! += this.shares[o + j]! / 100 / this.nTrees;
    }
    return p;
  }
}
