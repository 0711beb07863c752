window.__bench = {first: null, ready: null};
const twoFrames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
document.addEventListener('umap:layerload', () => {
  if (window.__bench.firstSeen) return;
  window.__bench.firstSeen = true;
  twoFrames().then(() => { window.__bench.first = performance.now(); });
});
document.addEventListener('umap:ready', () => {
  twoFrames().then(() => { window.__bench.ready = performance.now(); });
});
