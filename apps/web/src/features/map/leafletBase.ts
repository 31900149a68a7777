import type { DeadlineColour } from '@jiayuan/contracts';
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { BoundaryCollection } from '../../api/endpoints.ts';

/**
 * Leaflet, configured the Jiayuan way. Only lazy-loaded pages import this module, so Leaflet and its CSS stay out of
 * the main bundle.
 *
 * No tile server by default: the map is a plain background with the grid polygons and their labels, so it works on a
 * network without internet access. A deployment with its own tile server sets VITE_TILE_URL (and optionally
 * VITE_TILE_ATTRIBUTION) when building the web app, e.g. VITE_TILE_URL=/tiles/{z}/{x}/{y}.png. The server's
 * Content-Security-Policy only allows images from the same origin, so serve the tiles under the same host name
 * (a path of the reverse proxy in front of Jiayuan).
 */
const env = import.meta.env as Record<string, string | undefined>;
export const TILE_URL = env.VITE_TILE_URL?.trim() || null;
const TILE_ATTRIBUTION = env.VITE_TILE_ATTRIBUTION?.trim() || '';

/** 岳阳市岳阳楼区, where the demo city lies: the view before anything is drawn. */
export const DEFAULT_CENTER: L.LatLngTuple = [29.357, 113.129];

export function createMap(el: HTMLElement, opts: { zoom?: number; center?: L.LatLngTuple } = {}): L.Map {
  const map = L.map(el, {
    center: opts.center ?? DEFAULT_CENTER,
    zoom: opts.zoom ?? 14,
    zoomControl: true,
    attributionControl: !!TILE_URL,
    preferCanvas: true,
    // quarter steps, so fitting a community's grids fills the map rather than snapping a whole level out
    zoomSnap: 0.25,
    zoomDelta: 0.5,
    maxZoom: 20,
    minZoom: 3,
  });
  if (TILE_URL) L.tileLayer(TILE_URL, { maxZoom: 20, attribution: TILE_ATTRIBUTION }).addTo(map);
  return map;
}

export const deadlineColours: Record<DeadlineColour, string> = {
  green: '#389e0d',
  yellow: '#d48806',
  red: '#cf1322',
  paused: '#8c8c8c',
  none: '#bfbfbf',
};

type BoundaryFeature = BoundaryCollection['features'][number];

/** The grids as polygons with their names as permanent labels; `onClick` gets the clicked grid's feature. */
export function boundaryLayer(
  fc: BoundaryCollection,
  opts: { onClick?: (f: BoundaryFeature) => void; labels?: boolean; highlight?: string | null } = {},
): L.GeoJSON {
  return L.geoJSON(fc as unknown as GeoJSON.FeatureCollection, {
    style: (f) => {
      const selected = !!opts.highlight && (f as unknown as BoundaryFeature | undefined)?.id === opts.highlight;
      return {
        color: selected ? '#c8322b' : '#1d5fbf',
        weight: selected ? 3 : 2,
        fillColor: selected ? '#c8322b' : '#1d5fbf',
        fillOpacity: selected ? 0.14 : 0.06,
      };
    },
    onEachFeature: (f, layer) => {
      const feature = f as unknown as BoundaryFeature;
      if (opts.labels !== false) {
        layer.bindTooltip(`${feature.properties.name}`, {
          permanent: true,
          direction: 'center',
          className: 'jy-grid-label',
          interactive: false,
        });
      }
      if (opts.onClick) {
        const onClick = opts.onClick;
        layer.on('click', () => onClick(feature));
      }
    },
  });
}

/** Ray casting: is the point inside the ring (GeoJSON [lng, lat] pairs)? */
function inRing(lng: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies in a grid's Polygon or MultiPolygon (holes excluded). */
export function featureContains(f: BoundaryFeature, lng: number, lat: number): boolean {
  const polys = (f.geometry.type === 'Polygon'
    ? [f.geometry.coordinates]
    : f.geometry.coordinates) as unknown as number[][][][];
  return polys.some(
    (rings) => !!rings[0] && inRing(lng, lat, rings[0]) && !rings.slice(1).some((h) => inRing(lng, lat, h)),
  );
}

export { L };
