import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { gridApi } from '../../api/endpoints.ts';
import { boundaryLayer, createMap, deadlineColours, L } from './leafletBase.ts';

export type LngLat = { lng: number; lat: number };

type Props = {
  /** A point to mark (a case's location, or the one being picked). */
  point?: LngLat | null;
  /** A route to draw (a patrol). */
  route?: LngLat[];
  /** Click-to-pick: called with the clicked point. */
  onPick?: (p: LngLat) => void;
  /** Draw the grid boundaries of the user's scope around it (default: yes). */
  boundaries?: boolean;
  height?: number;
  testId?: string;
};

/** A small Leaflet map: a point, a route, or a point to pick. Lazy-loaded by the pages that use it. */
export default function MiniMap({ point, route, onPick, boundaries = true, height = 260, testId }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const pointLayer = useRef<L.LayerGroup | null>(null);
  const routeLayer = useRef<L.LayerGroup | null>(null);
  const gridLayer = useRef<L.GeoJSON | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const fitted = useRef(false);

  const grids = useQuery({
    queryKey: ['grids', 'boundaries', null],
    queryFn: () => gridApi.boundaries(),
    enabled: boundaries,
    staleTime: 300_000,
    meta: { silent: true },
  });

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, { zoom: 15 });
    mapRef.current = map;
    pointLayer.current = L.layerGroup().addTo(map);
    routeLayer.current = L.layerGroup().addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => {
      const pick = pickRef.current;
      if (pick) pick({ lng: round(e.latlng.lng), lat: round(e.latlng.lat) });
    });
    // The container may still be sizing itself (a modal, a tab): measure again once it is laid out.
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !grids.data) return;
    gridLayer.current?.remove();
    gridLayer.current = boundaryLayer(grids.data, { labels: true }).addTo(map);
    gridLayer.current.bringToBack();
    if (!point && !route?.length && !fitted.current && grids.data.features.length > 0) {
      map.fitBounds(gridLayer.current.getBounds(), { padding: [12, 12] });
      fitted.current = true;
    }
  }, [grids.data, point, route]);

  useEffect(() => {
    const map = mapRef.current;
    const layer = pointLayer.current;
    if (!map || !layer) return;
    layer.clearLayers();
    if (!point) return;
    L.circleMarker([point.lat, point.lng], {
      radius: 9,
      color: '#fff',
      weight: 2,
      fillColor: deadlineColours.red,
      fillOpacity: 0.95,
    }).addTo(layer);
    // Picking: keep the view the user chose; showing a case: centre on it.
    if (!pickRef.current) map.setView([point.lat, point.lng], Math.max(map.getZoom(), 16));
    else if (!map.getBounds().contains([point.lat, point.lng])) map.panTo([point.lat, point.lng]);
    fitted.current = true;
  }, [point]);

  useEffect(() => {
    const map = mapRef.current;
    const layer = routeLayer.current;
    if (!map || !layer) return;
    layer.clearLayers();
    if (!route?.length) return;
    const latlngs = route.map((p) => L.latLng(p.lat, p.lng));
    L.polyline(latlngs, { color: '#1d5fbf', weight: 4, opacity: 0.85 }).addTo(layer);
    latlngs.forEach((ll, i) => {
      const end = i === 0 || i === latlngs.length - 1;
      L.circleMarker(ll, {
        radius: end ? 7 : 4,
        color: '#fff',
        weight: 2,
        fillColor: i === 0 ? deadlineColours.green : i === latlngs.length - 1 ? deadlineColours.red : '#1d5fbf',
        fillOpacity: 1,
      }).addTo(layer);
    });
    map.fitBounds(L.latLngBounds(latlngs), { padding: [24, 24], maxZoom: 18 });
    fitted.current = true;
  }, [route]);

  return (
    <div
      ref={el}
      className={onPick ? 'jy-minimap jy-minimap-pick' : 'jy-minimap'}
      style={{ height }}
      data-testid={testId}
    />
  );
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
