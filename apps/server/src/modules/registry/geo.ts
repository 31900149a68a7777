/**
 * Plane geometry for grid boundaries, in lng/lat degrees as given (no datum conversion: the deployment's map and its
 * data share one coordinate system, WGS-84 or GCJ-02). Written here rather than pulled from a GIS library because we
 * need only four things and want to know exactly how each behaves on shared borders:
 *
 * - validating a GeoJSON Polygon/MultiPolygon (closed rings, ≥ 3 distinct points, finite coordinates in range);
 * - finding self-intersections (edges of a polygon that cross or touch other than at their shared vertex);
 * - finding overlaps between polygons: interiors that intersect. Neighbouring grids that share a border are fine;
 * - point-in-polygon with holes, and an in-memory bucket index over the polygons' bounding boxes.
 *
 * Exact comparisons are made on doubles: shared borders digitised from one source have identical vertices, and that
 * is what the overlap test relies on. Two borders digitised separately that differ by a sliver do overlap, and are
 * reported: that is the point of the check.
 */

export type Pt = readonly [number, number];
export type Ring = Pt[];
/** Outer ring first, then holes. */
export type Poly = Ring[];
export type BBox = [number, number, number, number];

export type GeometryProblem =
  | 'REGISTRY_GEOMETRY_TYPE'
  | 'REGISTRY_GEOMETRY_INVALID'
  | 'REGISTRY_GEOMETRY_SELF_INTERSECTS'
  | 'REGISTRY_GEOMETRY_HOLE_OUTSIDE'
  | 'REGISTRY_GEOMETRY_TOO_LARGE';

export const MAX_VERTICES_PER_FEATURE = 50_000;

export type Parsed =
  | { ok: true; polys: Poly[]; bbox: BBox; vertices: number }
  | { ok: false; problem: GeometryProblem };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseRing(raw: unknown): Ring | null {
  if (!Array.isArray(raw) || raw.length < 4) return null;
  const ring: Pt[] = [];
  for (const p of raw) {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !isNum(p[0]) || !isNum(p[1])) return null;
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) return null;
    const prev = ring.at(-1);
    if (prev && prev[0] === p[0] && prev[1] === p[1]) continue; // repeated point: drop it
    ring.push([p[0], p[1]]);
  }
  const first = raw[0] as number[];
  const last = raw[raw.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return null;
  ring.pop(); // closing point; rings are kept open inside this module
  if (ring.length < 3 || Math.abs(signedArea(ring)) === 0) return null;
  return ring;
}

function parsePoly(raw: unknown): Poly | null {
  if (!Array.isArray(raw) || raw.length < 1) return null;
  const rings: Ring[] = [];
  for (const r of raw) {
    const ring = parseRing(r);
    if (!ring) return null;
    rings.push(ring);
  }
  return rings;
}

export function bboxOf(polys: Poly[]): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys)
    for (const p of poly[0] ?? []) {
      if (p[0] < b[0]) b[0] = p[0];
      if (p[1] < b[1]) b[1] = p[1];
      if (p[0] > b[2]) b[2] = p[0];
      if (p[1] > b[3]) b[3] = p[1];
    }
  return b;
}

export const bboxesMeet = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Checks a GeoJSON geometry: type, shape and validity (no self-intersection, holes inside their shell). */
export function parseGeometry(geometry: unknown): Parsed {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))
    return { ok: false, problem: 'REGISTRY_GEOMETRY_TYPE' };
  const rawPolys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(rawPolys) || rawPolys.length === 0) return { ok: false, problem: 'REGISTRY_GEOMETRY_INVALID' };
  const polys: Poly[] = [];
  let vertices = 0;
  for (const raw of rawPolys) {
    const poly = parsePoly(raw);
    if (!poly) return { ok: false, problem: 'REGISTRY_GEOMETRY_INVALID' };
    vertices += poly.reduce((n, r) => n + r.length, 0);
    if (vertices > MAX_VERTICES_PER_FEATURE) return { ok: false, problem: 'REGISTRY_GEOMETRY_TOO_LARGE' };
    polys.push(poly);
  }
  for (const poly of polys) {
    if (selfIntersects(poly)) return { ok: false, problem: 'REGISTRY_GEOMETRY_SELF_INTERSECTS' };
    const shell = poly[0] as Ring;
    for (const hole of poly.slice(1))
      if (!hole.every((p) => pointInRing(p, shell) && !onRingBoundary(p, shell)))
        return { ok: false, problem: 'REGISTRY_GEOMETRY_HOLE_OUTSIDE' };
  }
  // The parts of a MultiPolygon must not overlap one another either.
  for (let i = 0; i < polys.length; i++)
    for (let j = i + 1; j < polys.length; j++)
      if (polygonsOverlap(polys[i] as Poly, polys[j] as Poly) || bordersCross(polys[i] as Poly, polys[j] as Poly))
        return { ok: false, problem: 'REGISTRY_GEOMETRY_SELF_INTERSECTS' };
  return { ok: true, polys, bbox: bboxOf(polys), vertices };
}

export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Pt;
    const b = ring[i] as Pt;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

// ───────────────────────────── segments ─────────────────────────────

const orient = (a: Pt, b: Pt, c: Pt): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/**
 * Distances below this (in degrees, about 0.1 mm) count as zero: a point computed on a shared border (the middle of
 * an edge) is off the line by rounding only, never by this much.
 */
export const TOLERANCE = 1e-9;

/** Which side of line ab the point c lies on: 0 when within TOLERANCE of the line. */
function side(a: Pt, b: Pt, c: Pt): number {
  const cross = orient(a, b, c);
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) <= TOLERANCE * len) return 0;
  return cross > 0 ? 1 : -1;
}

/** p lies on segment ab (endpoints included), within TOLERANCE. */
function onSegment(a: Pt, b: Pt, p: Pt): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]) <= TOLERANCE;
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  const len = Math.sqrt(len2);
  if (t < -TOLERANCE / len || t > 1 + TOLERANCE / len) return false;
  return Math.abs(orient(a, b, p)) <= TOLERANCE * len;
}

export type SegmentContact = 'none' | 'proper' | 'touch';

/** How two segments meet: not at all, crossing at one interior point of both ('proper'), or otherwise ('touch'). */
export function segmentContact(p1: Pt, p2: Pt, q1: Pt, q2: Pt): SegmentContact {
  const d1 = side(q1, q2, p1);
  const d2 = side(q1, q2, p2);
  const d3 = side(p1, p2, q1);
  const d4 = side(p1, p2, q2);
  if (d1 * d2 < 0 && d3 * d4 < 0) return 'proper';
  if (
    (d1 === 0 && onSegment(q1, q2, p1)) ||
    (d2 === 0 && onSegment(q1, q2, p2)) ||
    (d3 === 0 && onSegment(p1, p2, q1)) ||
    (d4 === 0 && onSegment(p1, p2, q2))
  )
    return 'touch';
  return 'none';
}

type Edge = { a: Pt; b: Pt; ring: number; idx: number; ringLen: number; minX: number; maxX: number };

function edgesOf(poly: Poly): Edge[] {
  const out: Edge[] = [];
  poly.forEach((ring, r) => {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i] as Pt;
      const b = ring[(i + 1) % ring.length] as Pt;
      out.push({ a, b, ring: r, idx: i, ringLen: ring.length, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) });
    }
  });
  return out.sort((x, y) => x.minX - y.minX);
}

/** Calls fn for each pair of edges (one from each list, or pairs within one list) whose x-extents overlap. */
function sweepPairs(a: Edge[], b: Edge[] | null, fn: (e: Edge, f: Edge) => boolean): boolean {
  if (!b) {
    for (let i = 0; i < a.length; i++) {
      const e = a[i] as Edge;
      for (let j = i + 1; j < a.length && (a[j] as Edge).minX <= e.maxX; j++) if (fn(e, a[j] as Edge)) return true;
    }
    return false;
  }
  let start = 0;
  for (const e of a) {
    while (start < b.length && (b[start] as Edge).maxX < e.minX && (b[start] as Edge).minX < e.minX) start++;
    for (let j = start; j < b.length && (b[j] as Edge).minX <= e.maxX; j++) {
      const f = b[j] as Edge;
      if (f.maxX < e.minX) continue;
      if (fn(e, f)) return true;
    }
  }
  return false;
}

/**
 * True when a polygon's rings are not simple: two edges meet anywhere other than the vertex that adjacent edges of
 * one ring share (a spike, a figure-of-eight, a ring touching itself, a hole touching the shell or another hole).
 */
export function selfIntersects(poly: Poly): boolean {
  const edges = edgesOf(poly);
  return sweepPairs(edges, null, (e, f) => {
    if (Math.max(e.a[1], e.b[1]) < Math.min(f.a[1], f.b[1]) || Math.max(f.a[1], f.b[1]) < Math.min(e.a[1], e.b[1]))
      return false;
    const adjacent = e.ring === f.ring && (Math.abs(e.idx - f.idx) === 1 || Math.abs(e.idx - f.idx) === e.ringLen - 1);
    const c = segmentContact(e.a, e.b, f.a, f.b);
    if (c === 'none') return false;
    if (!adjacent) return true;
    if (c === 'proper') return true;
    // Adjacent edges share one vertex; they must not fold back along each other.
    const shared = e.b === f.a || (e.b[0] === f.a[0] && e.b[1] === f.a[1]) ? e.b : e.a;
    const eOther = shared === e.b ? e.a : e.b;
    const fOther = f.a[0] === shared[0] && f.a[1] === shared[1] ? f.b : f.a;
    return (
      side(shared, eOther, fOther) === 0 && (onSegment(shared, eOther, fOther) || onSegment(shared, fOther, eOther))
    );
  });
}

// ───────────────────────────── points ─────────────────────────────

/** Crossing-number test (half-open edges): a point on a border shared by two polygons falls in exactly one. */
export function pointInRing(p: Pt, ring: Ring): boolean {
  let inside = false;
  const [x, y] = p;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Pt;
    const [xj, yj] = ring[j] as Pt;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function onRingBoundary(p: Pt, ring: Ring): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    if (onSegment(ring[j] as Pt, ring[i] as Pt, p)) return true;
  return false;
}

/** Inside the shell and in none of the holes (border points as the crossing-number rule decides). */
export const pointInPoly = (p: Pt, poly: Poly): boolean =>
  pointInRing(p, poly[0] as Ring) && !poly.slice(1).some((h) => pointInRing(p, h));

export const pointInPolys = (p: Pt, polys: Poly[]): boolean => polys.some((poly) => pointInPoly(p, poly));

const onPolyBoundary = (p: Pt, poly: Poly) => poly.some((r) => onRingBoundary(p, r));
/** Strictly inside: in the interior, not on any ring. */
const strictlyInside = (p: Pt, poly: Poly) => !onPolyBoundary(p, poly) && pointInPoly(p, poly);

// ───────────────────────────── overlap ─────────────────────────────

/** The borders of two polygons cross properly somewhere (then their interiors overlap). */
function bordersCross(a: Poly, b: Poly): boolean {
  return sweepPairs(edgesOf(a), edgesOf(b), (e, f) => segmentContact(e.a, e.b, f.a, f.b) === 'proper');
}

/**
 * Every edge of `a`, split at the vertices of `b` lying on it: each piece is either wholly on b's border, wholly
 * inside b, or wholly outside b (when the borders do not cross). A piece inside b means the interiors overlap; a
 * piece on b's border with both polygons on the same side of it means so too (identical or nested-and-sharing).
 */
function piecesOverlap(a: Poly, b: Poly): boolean {
  const bVertices = b.flat();
  for (const ring of a) {
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i] as Pt;
      const q = ring[(i + 1) % ring.length] as Pt;
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      const len2 = dx * dx + dy * dy;
      const ts = [0, 1];
      for (const v of bVertices)
        if (onSegment(p, q, v)) {
          const t = ((v[0] - p[0]) * dx + (v[1] - p[1]) * dy) / len2;
          if (t > 0 && t < 1) ts.push(t);
        }
      ts.sort((x, y) => x - y);
      for (let k = 0; k + 1 < ts.length; k++) {
        const t0 = ts[k] as number;
        const t1 = ts[k + 1] as number;
        if (t1 - t0 <= 0) continue;
        const tm = (t0 + t1) / 2;
        const m: Pt = [p[0] + dx * tm, p[1] + dy * tm];
        if (strictlyInside(m, b)) return true;
        if (onPolyBoundary(m, b)) {
          // Step off the shared piece to either side, by a small fraction of its length (far more than TOLERANCE).
          const pieceLen = (t1 - t0) * Math.sqrt(len2);
          if (pieceLen < 1000 * TOLERANCE) continue;
          const step = (pieceLen * 1e-3) / Math.sqrt(len2);
          const side1: Pt = [m[0] - dy * step, m[1] + dx * step];
          const side2: Pt = [m[0] + dy * step, m[1] - dx * step];
          if (
            (strictlyInside(side1, a) && strictlyInside(side1, b)) ||
            (strictlyInside(side2, a) && strictlyInside(side2, b))
          )
            return true;
        }
      }
    }
  }
  return false;
}

/** True when the interiors of two polygons intersect. Sharing a border, or touching at a point, is not overlap. */
export function polygonsOverlap(a: Poly, b: Poly): boolean {
  if (!bboxesMeet(bboxOf([a]), bboxOf([b]))) return false;
  if (bordersCross(a, b)) return true;
  return piecesOverlap(a, b) || piecesOverlap(b, a);
}

export function multiOverlap(a: Poly[], b: Poly[]): boolean {
  for (const pa of a) for (const pb of b) if (polygonsOverlap(pa, pb)) return true;
  return false;
}

// ───────────────────────────── index ─────────────────────────────

export type IndexedShape<T> = { value: T; polys: Poly[]; bbox: BBox };

/**
 * A uniform bucket grid over the shapes' bounding boxes: each cell lists the shapes whose box meets it, so a lookup
 * tests a handful of candidates. Built once per change of the boundaries; a city's few thousand grids build in
 * milliseconds.
 */
export class ShapeIndex<T> {
  readonly size: number;
  #shapes: IndexedShape<T>[];
  #cells: number[][] = [];
  #nx = 1;
  #ny = 1;
  #box: BBox = [0, 0, 0, 0];

  constructor(shapes: IndexedShape<T>[]) {
    this.#shapes = shapes;
    this.size = shapes.length;
    if (shapes.length === 0) return;
    const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const s of shapes) {
      box[0] = Math.min(box[0], s.bbox[0]);
      box[1] = Math.min(box[1], s.bbox[1]);
      box[2] = Math.max(box[2], s.bbox[2]);
      box[3] = Math.max(box[3], s.bbox[3]);
    }
    this.#box = box;
    const side = Math.min(512, Math.max(1, Math.ceil(Math.sqrt(shapes.length) * 2)));
    this.#nx = side;
    this.#ny = side;
    this.#cells = Array.from({ length: side * side }, () => []);
    shapes.forEach((s, i) => {
      const [x0, y0] = this.#cell(s.bbox[0], s.bbox[1]);
      const [x1, y1] = this.#cell(s.bbox[2], s.bbox[3]);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) this.#cells[y * this.#nx + x]?.push(i);
    });
  }

  #cell(lng: number, lat: number): [number, number] {
    const [x0, y0, x1, y1] = this.#box;
    const fx = x1 > x0 ? (lng - x0) / (x1 - x0) : 0;
    const fy = y1 > y0 ? (lat - y0) / (y1 - y0) : 0;
    return [
      Math.min(this.#nx - 1, Math.max(0, Math.floor(fx * this.#nx))),
      Math.min(this.#ny - 1, Math.max(0, Math.floor(fy * this.#ny))),
    ];
  }

  /** Every shape containing the point (normally none or one). */
  containing(lng: number, lat: number): T[] {
    const [x0, y0, x1, y1] = this.#box;
    if (this.size === 0 || lng < x0 || lng > x1 || lat < y0 || lat > y1) return [];
    const [cx, cy] = this.#cell(lng, lat);
    const out: T[] = [];
    for (const i of this.#cells[cy * this.#nx + cx] ?? []) {
      const s = this.#shapes[i] as IndexedShape<T>;
      if (lng < s.bbox[0] || lng > s.bbox[2] || lat < s.bbox[1] || lat > s.bbox[3]) continue;
      if (pointInPolys([lng, lat], s.polys)) out.push(s.value);
    }
    return out;
  }
}
