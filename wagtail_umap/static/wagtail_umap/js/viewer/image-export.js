/*
 * wagtail-umap: the map's current view as a PNG image (the print page's "Download as image").
 *
 * What is on screen is drawn again on a canvas, pane by pane, at twice the screen's density:
 * the basemap's loaded tiles (only when the basemap serves them with CORS, as IGN's
 * Géoplateforme does: the viewer then fetches them in CORS mode, see basemapConfig in
 * viewer/config.py; any other tile would taint the canvas and forbid the export), the canvases
 * of large layers, the SVG of lines and polygons, the markers' SVG, the clusters and labels,
 * then the scale and the attribution, which the basemap's licence asks for.
 * SVG is drawn through data: URLs (the strict CSP allows img-src data:), markers' pictograms
 * put inside them first (fetched from the site); nothing runs eval or inline script, and no
 * request leaves the page but the tiles already loaded.
 *
 * Loaded before the viewer's scripts on the print page only: it leaves its function in the
 * viewer's shared parts (window.wagtailUmap._parts.imageExport), where print.js finds it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  var DENSITY = 2;
  var TILE_WAIT_MS = 8000;

  // The map's inner box (inside its border), where the image starts.
  function originOf(container) {
    var box = container.getBoundingClientRect();
    return { left: box.left + container.clientLeft, top: box.top + container.clientTop };
  }

  // Where an element is, in the map container's coordinates.
  function boxOf(element, origin) {
    var box = element.getBoundingClientRect();
    return { x: box.left - origin.left, y: box.top - origin.top, width: box.width, height: box.height };
  }

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = function () { reject(new Error('image')); };
      image.src = url;
    });
  }

  // An SVG drawn as an image loads nothing: a marker's pictogram (a <use> of the site's sprite)
  // and own icon (an <image> of the site) are put inside the copy first, fetched from the page's
  // own origin (connect-src 'self').
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var sprites = {};
  function sprite(url) {
    if (!sprites[url]) {
      sprites[url] = fetch(url, { credentials: 'same-origin' }).then(function (response) {
        return response.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, 'image/svg+xml');
      });
    }
    return sprites[url];
  }
  function dataUrl(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (response) {
      return response.blob();
    }).then(function (blob) {
      return new Promise(function (resolve) {
        var reader = new FileReader();
        reader.onload = function () { resolve(reader.result); };
        reader.readAsDataURL(blob);
      });
    });
  }
  function inlinePictograms(copy) {
    var waits = [];
    Array.prototype.forEach.call(copy.querySelectorAll('use'), function (use) {
      var parts = (use.getAttribute('href') || '').split('#');
      if (!parts[0] || !parts[1]) { return; }
      waits.push(sprite(parts[0]).then(function (doc) {
        var symbol = doc.getElementById(parts[1]);
        var drawn = document.createElementNS(SVG_NS, 'svg');
        ['x', 'y', 'width', 'height', 'fill'].forEach(function (name) {
          if (use.hasAttribute(name)) { drawn.setAttribute(name, use.getAttribute(name)); }
        });
        drawn.setAttribute('viewBox', symbol.getAttribute('viewBox'));
        Array.prototype.forEach.call(symbol.childNodes, function (node) {
          drawn.appendChild(document.importNode(node, true));
        });
        use.parentNode.replaceChild(drawn, use);
      }).catch(function () { use.parentNode.removeChild(use); }));
    });
    Array.prototype.forEach.call(copy.querySelectorAll('image'), function (image) {
      var href = image.getAttribute('href') || '';
      if (!href || href.indexOf('data:') === 0) { return; }
      waits.push(dataUrl(href).then(function (url) { image.setAttribute('href', url); })
        .catch(function () { image.parentNode.removeChild(image); }));
    });
    return Promise.all(waits);
  }

  // An inline SVG element as an image; its CSS placement (Leaflet's transforms) is left out,
  // its box says where it goes.
  function svgImage(svg, box) {
    var copy = svg.cloneNode(true);
    copy.removeAttribute('style');
    copy.removeAttribute('class');
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('width', box.width);
    copy.setAttribute('height', box.height);
    return inlinePictograms(copy).then(function () {
      var text = new XMLSerializer().serializeToString(copy);
      return loadImage('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text));
    });
  }

  function opacityOf(element, stop) {
    var opacity = 1;
    for (var node = element; node && node !== stop; node = node.parentElement) {
      opacity *= parseFloat(window.getComputedStyle(node).opacity || '1');
    }
    return opacity;
  }

  // Wait (a while) for the tiles still loading, so that the image is not full of holes.
  function tilesLoaded(map, L) {
    var waits = [];
    map.eachLayer(function (layer) {
      if (layer instanceof L.GridLayer && layer.isLoading && layer.isLoading()) {
        waits.push(new Promise(function (resolve) { layer.once('load', resolve); }));
      }
    });
    var timeout = new Promise(function (resolve) { window.setTimeout(resolve, TILE_WAIT_MS); });
    return Promise.race([Promise.all(waits), timeout]);
  }

  // The layers to draw, in the order they show: each is {box, opacity, filter, image
  // (a promise)} or {box, draw(context)} for what is drawn with the canvas' own tools.
  function collect(container, options) {
    var origin = originOf(container);
    var steps = [];
    var tilePane = container.querySelector('.leaflet-tile-pane');
    if (tilePane) {
      tilePane.querySelectorAll('img.leaflet-tile-loaded, canvas').forEach(function (tile) {
        var isImage = tile.tagName === 'IMG';
        if (isImage && !options.withTiles) { return; }
        var box = boxOf(tile, origin);
        if (box.width < 1 || box.height < 1) { return; }
        steps.push({
          box: box,
          image: Promise.resolve(tile),
          // The layer's opacity (an overlay's), not the fade-in of a tile just loaded.
          opacity: opacityOf(tile.closest('.leaflet-layer') || tile, tilePane),
          filter: isImage && options.grayscale ? 'grayscale(1)' : 'none'
        });
      });
    }
    // Canvas renderers and SVG renderers of the other panes, in the panes' order.
    var panes = Array.prototype.slice.call(container.querySelectorAll('.leaflet-pane'))
      .filter(function (pane) { return pane !== tilePane && !tilePane.contains(pane) && !pane.classList.contains('leaflet-map-pane'); })
      .sort(function (a, b) { return (parseInt(window.getComputedStyle(a).zIndex, 10) || 0) - (parseInt(window.getComputedStyle(b).zIndex, 10) || 0); });
    panes.forEach(function (pane) {
      Array.prototype.forEach.call(pane.children, function (child) {
        if (child.tagName === 'canvas' || child.tagName === 'CANVAS') {
          steps.push({ box: boxOf(child, origin), image: Promise.resolve(child), opacity: opacityOf(child, container) });
        } else if (child.tagName.toLowerCase() === 'svg') {
          var box = boxOf(child, origin);
          steps.push({ box: box, image: svgImage(child, box), opacity: opacityOf(child, container) });
        } else if (child.classList.contains('leaflet-marker-icon') || child.classList.contains('leaflet-tooltip')) {
          markerSteps(child, origin).forEach(function (step) { steps.push(step); });
        }
      });
    });
    return steps;
  }

  // A marker: its SVG when it has one; otherwise (clusters, labels, positions) its box with
  // its own colours and its text.
  function markerSteps(element, origin) {
    var svg = element.querySelector('svg');
    if (svg) {
      var svgBox = boxOf(svg, origin);
      return [{ box: svgBox, image: svgImage(svg, svgBox), opacity: 1 }];
    }
    var box = boxOf(element, origin);
    var style = window.getComputedStyle(element);
    var text = (element.textContent || '').trim();
    return [{ box: box, draw: function (context) { drawBox(context, box, style, text); } }];
  }

  function drawBox(context, box, style, text) {
    var radius = Math.min(parseFloat(style.borderTopLeftRadius) || 0, box.width / 2, box.height / 2);
    context.save();
    context.beginPath();
    roundedRect(context, box, radius);
    var background = style.backgroundColor;
    if (background && background !== 'transparent' && background !== 'rgba(0, 0, 0, 0)') {
      context.fillStyle = background;
      context.fill();
    }
    var border = parseFloat(style.borderTopWidth) || 0;
    if (border > 0) {
      context.lineWidth = border;
      context.strokeStyle = style.borderTopColor;
      context.stroke();
    }
    if (text) {
      context.fillStyle = style.color || '#1e1e1e';
      context.font = style.fontWeight + ' ' + style.fontSize + ' ' + (style.fontFamily || 'sans-serif');
      context.textAlign = 'center';
      context.textBaseline = 'middle';
      context.fillText(text, box.x + box.width / 2, box.y + box.height / 2, box.width);
    }
    context.restore();
  }

  function roundedRect(context, box, radius) {
    var x = box.x;
    var y = box.y;
    var w = box.width;
    var h = box.height;
    context.moveTo(x + radius, y);
    context.arcTo(x + w, y, x + w, y + h, radius);
    context.arcTo(x + w, y + h, x, y + h, radius);
    context.arcTo(x, y + h, x, y, radius);
    context.arcTo(x, y, x + w, y, radius);
    context.closePath();
  }

  // The scale bar and the attribution, as the map shows them (bottom corners).
  function drawFooter(context, container, width, height) {
    var origin = originOf(container);
    context.save();
    context.font = '12px system-ui, sans-serif';
    context.textBaseline = 'middle';
    var scale = container.querySelector('.leaflet-control-scale-line');
    if (scale) {
      var box = boxOf(scale, origin);
      context.fillStyle = 'rgba(255, 255, 255, 0.85)';
      context.fillRect(box.x, box.y, box.width, box.height);
      context.strokeStyle = '#1e1e1e';
      context.lineWidth = 2;
      context.beginPath();
      context.moveTo(box.x + 1, box.y);
      context.lineTo(box.x + 1, box.y + box.height - 1);
      context.lineTo(box.x + box.width - 1, box.y + box.height - 1);
      context.lineTo(box.x + box.width - 1, box.y);
      context.stroke();
      context.fillStyle = '#1e1e1e';
      context.fillText(scale.textContent, box.x + 5, box.y + box.height / 2);
    }
    var attribution = container.querySelector('.leaflet-control-attribution');
    var text = attribution ? attribution.textContent.replace(/\s+/g, ' ').trim() : '';
    if (text) {
      var padding = 4;
      var textWidth = Math.min(context.measureText(text).width, width - 2 * padding);
      context.fillStyle = 'rgba(255, 255, 255, 0.85)';
      context.fillRect(width - textWidth - 2 * padding, height - 20, textWidth + 2 * padding, 20);
      context.fillStyle = '#1e1e1e';
      context.textAlign = 'right';
      context.fillText(text, width - padding, height - 10, width - 2 * padding);
    }
    context.restore();
  }

  function paint(canvas, container, steps) {
    var context = canvas.getContext('2d');
    var width = container.clientWidth;
    var height = container.clientHeight;
    context.setTransform(DENSITY, 0, 0, DENSITY, 0, 0);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    return Promise.all(steps.map(function (step) {
      return step.image ? step.image.catch(function () { return null; }) : null;
    })).then(function (images) {
      steps.forEach(function (step, index) {
        if (step.draw) { step.draw(context); return; }
        if (!images[index]) { return; }
        context.save();
        context.globalAlpha = step.opacity;
        context.filter = step.filter || 'none';
        context.drawImage(images[index], step.box.x, step.box.y, step.box.width, step.box.height);
        context.restore();
      });
      drawFooter(context, container, width, height);
    });
  }

  function toBlob(canvas) {
    return new Promise(function (resolve, reject) {
      try {
        canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error('empty')); }, 'image/png');
      } catch (error) {
        reject(error); // SecurityError: a tile without CORS tainted the canvas
      }
    });
  }

  /*
   * exportImage(map, L, {crossOrigin, grayscale}) -> Promise<{blob, withTiles}>
   * withTiles is false when the basemap does not allow its tiles in an image (the caller
   * says so, naming the basemap): the image then holds the data, the scale and the credits.
   */
  function exportImage(map, L, basemap) {
    var container = map.getContainer();
    function render(withTiles) {
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(container.clientWidth * DENSITY);
      canvas.height = Math.round(container.clientHeight * DENSITY);
      var steps = collect(container, { withTiles: withTiles, grayscale: !!basemap.grayscale });
      return paint(canvas, container, steps).then(function () { return toBlob(canvas); })
        .then(function (blob) { return { blob: blob, withTiles: withTiles }; });
    }
    return tilesLoaded(map, L).then(function () {
      if (!basemap.crossOrigin) { return render(false); }
      return render(true).catch(function (error) {
        if (error && error.name === 'SecurityError') { return render(false); }
        throw error;
      });
    });
  }

  parts.imageExport = { exportImage: exportImage };
}());
