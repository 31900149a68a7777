import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Poly,
  parseGeometry,
  polygonsOverlap,
  type Ring,
  ShapeIndex,
  segmentContact,
  selfIntersects,
} from './geo.ts';

const closed = (pts: number[][]) => [...pts, pts[0] as number[]];
const polygon = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings.map(closed) });
const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const poly = (...rings: number[][][]): Poly => rings.map((r) => r.map(([x, y]) => [x, y] as const) as Ring);

describe('parseGeometry', () => {
  it('accepts a polygon with a hole and a multipolygon', () => {
    const r = parseGeometry(polygon(rect(0, 0, 10, 10), rect(2, 2, 4, 4)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.bbox).toEqual([0, 0, 10, 10]);
    const m = parseGeometry({
      type: 'MultiPolygon',
      coordinates: [[closed(rect(0, 0, 1, 1))], [closed(rect(2, 0, 3, 1))]],
    });
    expect(m.ok).toBe(true);
  });

  it('names what is wrong', () => {
    const problem = (g: unknown) => {
      const r = parseGeometry(g);
      return r.ok ? 'ok' : r.problem;
    };
    expect(problem({ type: 'Point', coordinates: [1, 2] })).toBe('REGISTRY_GEOMETRY_TYPE');
    expect(problem(null)).toBe('REGISTRY_GEOMETRY_TYPE');
    expect(problem({ type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] })).toBe('REGISTRY_GEOMETRY_INVALID'); // not closed
    expect(
      problem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    ).toBe('REGISTRY_GEOMETRY_INVALID');
    expect(
      problem(
        polygon([
          [0, 0],
          [200, 0],
          [0, 1],
        ]),
      ),
    ).toBe('REGISTRY_GEOMETRY_INVALID'); // out of range
    expect(
      problem(
        polygon([
          [0, 0],
          [1, 0],
          [2, 0],
        ]),
      ),
    ).toBe('REGISTRY_GEOMETRY_INVALID'); // no area
    // A bow-tie.
    expect(
      problem(
        polygon([
          [0, 0],
          [3, 3],
          [3, 0],
          [0, 2],
        ]),
      ),
    ).toBe('REGISTRY_GEOMETRY_SELF_INTERSECTS');
    // A spike folding back along itself.
    expect(
      problem(
        polygon([
          [0, 0],
          [4, 0],
          [4, 4],
          [4, 6],
          [4, 5],
          [0, 4],
        ]),
      ),
    ).toBe('REGISTRY_GEOMETRY_SELF_INTERSECTS');
    // A ring touching itself at a vertex (figure of eight).
    expect(
      problem(
        polygon([
          [0, 0],
          [2, 2],
          [4, 0],
          [4, 4],
          [2, 2],
          [0, 4],
        ]),
      ),
    ).toBe('REGISTRY_GEOMETRY_SELF_INTERSECTS');
    // A hole crossing its shell, and one outside it.
    expect(problem(polygon(rect(0, 0, 10, 10), rect(8, 8, 12, 9)))).toBe('REGISTRY_GEOMETRY_SELF_INTERSECTS');
    expect(problem(polygon(rect(0, 0, 10, 10), rect(20, 20, 22, 22)))).toBe('REGISTRY_GEOMETRY_HOLE_OUTSIDE');
    // Overlapping parts of a multipolygon.
    expect(
      problem({ type: 'MultiPolygon', coordinates: [[closed(rect(0, 0, 2, 2))], [closed(rect(1, 1, 3, 3))]] }),
    ).toBe('REGISTRY_GEOMETRY_SELF_INTERSECTS');
  });

  it('drops repeated points and tolerates a third coordinate', () => {
    const r = parseGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0, 5],
          [1, 0, 5],
          [1, 0, 5],
          [1, 1, 5],
          [0, 0, 5],
        ],
      ],
    });
    expect(r.ok).toBe(true);
  });
});

describe('segments and self-intersection', () => {
  it('classifies contacts', () => {
    expect(segmentContact([0, 0], [2, 2], [0, 2], [2, 0])).toBe('proper');
    expect(segmentContact([0, 0], [2, 0], [2, 0], [3, 1])).toBe('touch');
    expect(segmentContact([0, 0], [2, 0], [1, 0], [3, 0])).toBe('touch');
    expect(segmentContact([0, 0], [1, 0], [2, 0], [3, 0])).toBe('none');
  });
  it('finds none in a simple ring with many vertices', () => {
    const n = 2000;
    const ring: Ring = Array.from({ length: n }, (_, i) => {
      const a = (2 * Math.PI * i) / n;
      return [113 + 0.01 * Math.cos(a), 29 + 0.01 * Math.sin(a)] as const;
    });
    expect(selfIntersects([ring])).toBe(false);
  });
});

describe('polygonsOverlap', () => {
  const A = poly(rect(0, 0, 10, 10));
  it('lets neighbours share a border or a corner', () => {
    expect(polygonsOverlap(A, poly(rect(10, 0, 20, 10)))).toBe(false);
    expect(polygonsOverlap(A, poly(rect(10, 10, 20, 20)))).toBe(false);
    // A neighbour with an extra vertex on the shared border (a T-junction).
    expect(
      polygonsOverlap(
        A,
        poly([
          [10, 0],
          [20, 0],
          [20, 10],
          [10, 10],
          [10, 5],
        ]),
      ),
    ).toBe(false);
    expect(polygonsOverlap(A, poly(rect(12, 0, 20, 10)))).toBe(false);
  });
  it('finds overlap: crossing, containment, identity', () => {
    expect(polygonsOverlap(A, poly(rect(5, 5, 15, 15)))).toBe(true);
    expect(polygonsOverlap(A, poly(rect(2, 2, 4, 4)))).toBe(true);
    expect(polygonsOverlap(poly(rect(2, 2, 4, 4)), A)).toBe(true);
    expect(polygonsOverlap(A, poly(rect(0, 0, 10, 10)))).toBe(true);
    // Same border on one side, both polygons on the same side of it.
    expect(polygonsOverlap(A, poly(rect(0, 0, 5, 10)))).toBe(true);
  });
  it('lets a polygon sit in another’s hole, even filling it exactly', () => {
    const withHole = poly(rect(0, 0, 10, 10), rect(2, 2, 6, 6));
    expect(polygonsOverlap(withHole, poly(rect(3, 3, 5, 5)))).toBe(false);
    expect(polygonsOverlap(withHole, poly(rect(2, 2, 6, 6)))).toBe(false);
    expect(polygonsOverlap(withHole, poly(rect(1, 1, 3, 3)))).toBe(true);
  });
  it('copes with a slanted shared border in real coordinates', () => {
    const p: [number, number] = [113.1234567, 29.3456789];
    const q: [number, number] = [113.1298765, 29.3512345];
    const left = poly([p, q, [113.12, 29.36]]);
    const right = poly([q, p, [113.13, 29.34]]);
    expect(polygonsOverlap(left, right)).toBe(false);
    expect(polygonsOverlap(left, poly([p, q, [113.125, 29.352]]))).toBe(true);
  });
});

describe('ShapeIndex', () => {
  it('locates inside, outside, in a hole, and on a shared border in exactly one', () => {
    const idx = new ShapeIndex([
      { value: 'A', polys: [poly(rect(0, 0, 10, 10), rect(2, 2, 4, 4))], bbox: [0, 0, 10, 10] },
      { value: 'B', polys: [poly(rect(10, 0, 20, 10))], bbox: [10, 0, 20, 10] },
    ]);
    expect(idx.containing(5, 5)).toEqual(['A']);
    expect(idx.containing(15, 5)).toEqual(['B']);
    expect(idx.containing(3, 3)).toEqual([]);
    expect(idx.containing(30, 5)).toEqual([]);
    expect(idx.containing(10, 5)).toHaveLength(1);
    expect(new ShapeIndex([]).containing(0, 0)).toEqual([]);
  });

  it('property: a tiling of random cells has no overlaps and puts every point in exactly one cell', () => {
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        cuts,
        cuts,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 20,
          maxLength: 20,
        }),
        (xc, yc, points) => {
          const xs = [0, ...xc.sort((a, b) => a - b), 1000].map((v) => 113 + v / 10000);
          const ys = [0, ...yc.sort((a, b) => a - b), 1000].map((v) => 29 + v / 10000);
          const cells: { value: number; polys: Poly[]; bbox: [number, number, number, number] }[] = [];
          for (let i = 0; i + 1 < xs.length; i++)
            for (let j = 0; j + 1 < ys.length; j++) {
              const [x0, x1, y0, y1] = [xs[i] as number, xs[i + 1] as number, ys[j] as number, ys[j + 1] as number];
              cells.push({ value: cells.length, polys: [poly(rect(x0, y0, x1, y1))], bbox: [x0, y0, x1, y1] });
            }
          for (let a = 0; a < cells.length; a++)
            for (let b = a + 1; b < cells.length; b++)
              expect(polygonsOverlap(cells[a]?.polys[0] as Poly, cells[b]?.polys[0] as Poly)).toBe(false);
          const idx = new ShapeIndex(cells);
          for (const [u, v] of points) {
            const x = 113 + (u * 999.98 + 0.01) / 10000;
            const y = 29 + (v * 999.98 + 0.01) / 10000;
            expect(idx.containing(x, y)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
