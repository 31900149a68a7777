import * as L from 'leaflet';

/**
 * A small density ("heat") layer on one canvas: every point adds a blurred disc of alpha, and the summed alpha is
 * coloured through a blue → green → yellow → red ramp. Redrawn after each move or zoom (hidden while zooming).
 * Written here rather than pulling in a plugin: some forty lines, no dependency to pin.
 */
export class HeatLayer extends L.Layer {
  private canvas: HTMLCanvasElement | null = null;
  private points: L.LatLng[];
  private readonly radius: number;
  private readonly blur: number;
  private static palette: Uint8ClampedArray | null = null;

  constructor(points: L.LatLngExpression[], opts: { radius?: number; blur?: number } = {}) {
    super();
    this.points = points.map((p) => L.latLng(p));
    this.radius = opts.radius ?? 22;
    this.blur = opts.blur ?? 16;
  }

  setPoints(points: L.LatLngExpression[]) {
    this.points = points.map((p) => L.latLng(p));
    this.redraw();
    return this;
  }

  override onAdd(map: L.Map) {
    this.canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide jy-heat') as HTMLCanvasElement;
    this.canvas.style.pointerEvents = 'none';
    // its own pane, under the vector overlays: the case points stay on top of their heat
    const pane = map.getPane('jy-heat') ?? map.createPane('jy-heat');
    pane.style.zIndex = '390';
    pane.style.pointerEvents = 'none';
    pane.appendChild(this.canvas);
    map.on('moveend zoomend resize', this.redraw, this);
    this.redraw();
    return this;
  }

  override onRemove(map: L.Map) {
    map.off('moveend zoomend resize', this.redraw, this);
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  private static ramp(): Uint8ClampedArray {
    if (HeatLayer.palette) return HeatLayer.palette;
    const c = document.createElement('canvas');
    c.width = 1;
    c.height = 256;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const g = ctx.createLinearGradient(0, 0, 0, 256);
    g.addColorStop(0.25, '#2f54eb');
    g.addColorStop(0.45, '#13c2c2');
    g.addColorStop(0.6, '#52c41a');
    g.addColorStop(0.8, '#fadb14');
    g.addColorStop(1, '#f5222d');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 1, 256);
    HeatLayer.palette = ctx.getImageData(0, 0, 1, 256).data;
    return HeatLayer.palette;
  }

  redraw() {
    const map = this._map as L.Map | undefined;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const size = map.getSize();
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    canvas.width = size.x;
    canvas.height = size.y;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx || size.x === 0 || size.y === 0) return;
    const r = this.radius + this.blur;
    // Closer points weigh more at low zoom, where they crowd together.
    const alpha = Math.min(0.9, Math.max(0.25, 0.12 * (map.getZoom() - 9)));
    for (const p of this.points) {
      const at = map.latLngToContainerPoint(p);
      if (at.x < -r || at.y < -r || at.x > size.x + r || at.y > size.y + r) continue;
      const g = ctx.createRadialGradient(at.x, at.y, 0, at.x, at.y, r);
      g.addColorStop(0, `rgba(0,0,0,${alpha})`);
      g.addColorStop(this.radius / r, `rgba(0,0,0,${alpha * 0.5})`);
      g.addColorStop(1, 'rgba(0,0,0,0)');
      ctx.fillStyle = g;
      ctx.fillRect(at.x - r, at.y - r, 2 * r, 2 * r);
    }
    const img = ctx.getImageData(0, 0, size.x, size.y);
    const px = img.data;
    const ramp = HeatLayer.ramp();
    for (let i = 3; i < px.length; i += 4) {
      const a = px[i] as number;
      if (a === 0) continue;
      const j = a * 4;
      px[i - 3] = ramp[j] as number;
      px[i - 2] = ramp[j + 1] as number;
      px[i - 1] = ramp[j + 2] as number;
      px[i] = Math.min(255, a * 1.6);
    }
    ctx.putImageData(img, 0, 0);
  }
}
