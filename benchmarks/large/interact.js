async (domId) => {
  const map = domId ? window.wagtailUmap.get(domId).map : window.benchMap;
  const container = map.getContainer();
  let last = 0;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(container, {subtree: true, childList: true, attributes: true});
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const gridsLoading = () => {
    let loading = false;
    map.eachLayer(l => {
      if (l instanceof L.GridLayer && !(l instanceof L.TileLayer) && l.isLoading && l.isLoading()) loading = true;
    });
    return loading;
  };
  async function settle(start) {
    let quiet = 0;
    const limit = start + 20000;
    while (quiet < 3 && performance.now() < limit) {
      const before = last;
      await frame();
      quiet = (last === before && !gridsLoading()) ? quiet + 1 : 0;
    }
    return Math.max(last, start) - start;
  }
  const steps = [
    m => m.setZoom(m.getZoom() + 1, {animate: false}),
    m => m.setZoom(m.getZoom() - 1, {animate: false}),
    m => m.panBy([200, 150], {animate: false}),
    m => m.panBy([-200, -150], {animate: false}),
    m => m.setZoom(m.getZoom() + 2, {animate: false}),
    m => m.setZoom(m.getZoom() - 2, {animate: false}),
  ];
  const times = [];
  for (const step of steps) {
    await settle(performance.now());
    const start = performance.now();
    last = start;
    step(map);
    const sync = performance.now() - start;
    const rest = await settle(start);
    times.push(Math.max(sync, rest));
  }
  observer.disconnect();
  return times;
}
