// Runs inside report.html (inlined at render time, no modules, no network). Draws one uPlot
// chart per scenario from the JSON the renderer embedded, shades fault windows, draws the bot's
// orders and fills as markers, and records what it drew in data attributes for tests.
(() => {
  const source = document.getElementById('faultline-timelines');
  if (!source || typeof uPlot === 'undefined') return;
  const { timelines } = JSON.parse(source.textContent || '{"timelines":[]}');
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const COLORS = {
    price: color('--c-price', '#334155'),
    buy: color('--c-buy', '#1d4ed8'),
    sell: color('--c-sell', '#c2410c'),
    fill: color('--c-fill', '#0f172a'),
    bad: color('--c-bad', '#b91c1c'),
    band: color('--c-band', 'rgba(220, 38, 38, 0.14)'),
    bandEdge: color('--c-band-edge', 'rgba(185, 28, 28, 0.55)'),
    text: color('--c-text', '#0f172a'),
  };

  function triangle(ctx, x, y, r, up) {
    ctx.beginPath();
    if (up) {
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y + r * 0.8);
      ctx.lineTo(x - r, y + r * 0.8);
    } else {
      ctx.moveTo(x, y + r);
      ctx.lineTo(x + r, y - r * 0.8);
      ctx.lineTo(x - r, y - r * 0.8);
    }
    ctx.closePath();
  }

  function drawBands(u, tl) {
    const { ctx } = u;
    const { top, height, left, width } = u.bbox;
    const pr = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const b of tl.faultBands) {
      const x0 = u.valToPos(b.from / 1000, 'x', true);
      const x1 = u.valToPos(b.to / 1000, 'x', true);
      ctx.fillStyle = COLORS.band;
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
      ctx.strokeStyle = COLORS.bandEdge;
      ctx.lineWidth = pr;
      ctx.setLineDash(b.open ? [4 * pr, 4 * pr] : []);
      ctx.strokeRect(x0, top, Math.max(1, x1 - x0), height);
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.bad;
      ctx.font = `${600} ${12 * pr}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.fillText(`${b.label}${b.open ? ' (no end in history)' : ''}`, x0 + 4 * pr, top + 4 * pr);
    }
    ctx.strokeStyle = COLORS.text;
    ctx.fillStyle = COLORS.text;
    ctx.lineWidth = pr;
    ctx.setLineDash([2 * pr, 3 * pr]);
    ctx.font = `${11 * pr}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    for (const m of tl.marks || []) {
      const x = u.valToPos(m.t / 1000, 'x', true);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // Labels near the right edge go left of their line so they are not clipped.
      const right = x > left + width - 90 * pr;
      ctx.textAlign = right ? 'right' : 'left';
      ctx.fillText(m.label, x + (right ? -3 : 3) * pr, top + height - 3 * pr);
      ctx.textAlign = 'left';
    }
    ctx.setLineDash([]);
    ctx.restore();
  }

  function drawMarkers(u, tl) {
    const { ctx } = u;
    const pr = uPlot.pxRatio;
    ctx.save();
    for (const m of tl.markers) {
      if (m.price === null) continue;
      const x = u.valToPos(m.t / 1000, 'x', true);
      const y = u.valToPos(m.price, 'y', true);
      if (m.kind === 'fill') {
        ctx.beginPath();
        ctx.arc(x, y, 2.5 * pr, 0, 2 * Math.PI);
        ctx.fillStyle = COLORS.fill;
        ctx.fill();
        continue;
      }
      const up = m.side === 'BUY';
      const r = (m.violating ? 8 : 6) * pr;
      // Orders sit just off the line so fills drawn on it stay visible.
      const yy = y + (up ? 1 : -1) * (r + 3 * pr);
      triangle(ctx, x, yy, r, up);
      ctx.fillStyle = m.violating ? COLORS.bad : up ? COLORS.buy : COLORS.sell;
      ctx.fill();
      if (m.violating) {
        ctx.lineWidth = 2 * pr;
        ctx.strokeStyle = COLORS.text;
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(x, yy, r + 5 * pr, 0, 2 * Math.PI);
        ctx.strokeStyle = COLORS.bad;
        ctx.stroke();
        ctx.fillStyle = COLORS.bad;
        ctx.font = `${700} ${11 * pr}px system-ui, sans-serif`;
        ctx.textBaseline = up ? 'top' : 'bottom';
        ctx.textAlign = 'center';
        ctx.fillText(`#${m.seq}`, x, yy + (up ? 1 : -1) * (r + 7 * pr));
        ctx.textAlign = 'start';
      }
    }
    ctx.restore();
  }

  function yRange(tl) {
    const ys = tl.price.mid.concat(tl.markers.map((m) => m.price).filter((p) => p !== null));
    if (ys.length === 0) return [0, 1];
    let lo = Math.min(...ys);
    let hi = Math.max(...ys);
    const pad = Math.max((hi - lo) * 0.12, Math.abs(hi) * 0.0002, 1e-9);
    lo -= pad;
    hi += pad;
    return [lo, hi];
  }

  for (const tl of timelines) {
    const el = document.getElementById(tl.chartId);
    if (!el) continue;
    const figure = el.closest('figure');
    const lanes = figure ? figure.querySelector('.lanes') : null;
    const xs = tl.price.t.map((t) => t / 1000);
    const [ylo, yhi] = yRange(tl);
    const opts = {
      width: Math.max(320, el.clientWidth),
      height: 300,
      scales: { x: { time: false, range: [tl.from / 1000, tl.to / 1000] }, y: { range: [ylo, yhi] } },
      axes: [
        { label: 'seconds since run start', values: (_u, vals) => vals.map((v) => `${v.toFixed(1)} s`), stroke: COLORS.text },
        { label: `${tl.symbol || 'price'} mid`, size: 80, values: (_u, vals) => vals.map((v) => v.toLocaleString('en-US')), stroke: COLORS.text },
      ],
      series: [
        { label: 't (s)', value: (_u, v) => (v == null ? '–' : `${v.toFixed(3)} s`) },
        { label: `${tl.symbol || 'price'} mid`, stroke: COLORS.price, width: 1.5, spanGaps: true, points: { show: false } },
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        drawClear: [(u) => drawBands(u, tl)],
        draw: [(u) => drawMarkers(u, tl)],
      },
    };
    const u = new uPlot(opts, [xs, tl.price.mid], el);
    const plotted = tl.markers.filter((m) => m.price !== null && m.t >= tl.from && m.t <= tl.to);
    el.dataset.rendered = 'true';
    el.dataset.pricePoints = String(xs.length);
    el.dataset.faultBands = tl.faultBands.map((b) => b.faultId || b.label).join(',');
    el.dataset.orderMarkers = plotted
      .filter((m) => m.kind === 'order')
      .map((m) => m.seq)
      .join(',');
    el.dataset.violatingMarkers = plotted
      .filter((m) => m.violating)
      .map((m) => m.seq)
      .join(',');
    // Line the lanes up with the plotting area so a band sits under the same seconds.
    const align = () => {
      if (!lanes) return;
      lanes.style.setProperty('--plot-left', `${u.over.offsetLeft}px`);
      lanes.style.setProperty('--plot-width', `${u.over.offsetWidth}px`);
    };
    align();
    window.addEventListener('resize', () => {
      u.setSize({ width: Math.max(320, el.clientWidth), height: 300 });
      align();
    });
  }
  document.documentElement.dataset.chartsRendered = String(timelines.length);
})();
