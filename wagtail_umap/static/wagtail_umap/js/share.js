/* The Map's "Share" screen in the admin: writes the iframe code as the editor changes the
 * options, updates the preview, copies the code. A Stimulus controller registered with
 * Wagtail's own Stimulus application (window.wagtail.app, window.StimulusModule). */
(() => {
  "use strict";

  const { Controller } = window.StimulusModule;

  const escapeAttribute = (value) =>
    String(value)
      .replace(/&/g, "&amp;")
      .replace(/"/g, "&quot;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");

  const size = (input, fallback) => {
    const value = Number.parseInt(input.value, 10);
    if (!Number.isFinite(value)) return fallback;
    return Math.min(Math.max(value, 200), 2000);
  };

  class ShareController extends Controller {
    static targets = [
      "width",
      "height",
      "lat",
      "lng",
      "zoom",
      "layer",
      "control",
      "list",
      "code",
      "copy",
      "status",
      "link",
      "preview",
    ];

    static values = {
      baseUrl: String,
      title: String,
      copied: String,
      copyFailed: String,
    };

    connect() {
      this.copyTarget.hidden = false;
      this.update();
    }

    /** The embed URL for the options chosen: only what differs from the map's own settings. */
    url() {
      const params = new URLSearchParams();
      const lat = this.latTarget.value.trim();
      const lng = this.lngTarget.value.trim();
      const zoom = this.zoomTarget.value.trim();
      if (lat && lng) {
        params.set("lat", lat);
        params.set("lng", lng);
      }
      if (zoom) params.set("zoom", zoom);
      const changed = (inputs) => inputs.some((input) => input.checked !== (input.dataset.default === "1"));
      const checked = (inputs) => inputs.filter((input) => input.checked).map((input) => input.value);
      if (this.layerTargets.length && changed(this.layerTargets)) {
        params.set("layers", checked(this.layerTargets).join(","));
      }
      if (changed(this.controlTargets)) {
        params.set("controls", checked(this.controlTargets).join(","));
      }
      if (!this.listTarget.checked) params.set("list", "0");
      const query = params.toString();
      return query ? `${this.baseUrlValue}?${query}` : this.baseUrlValue;
    }

    update() {
      const url = this.url();
      const width = size(this.widthTarget, 800);
      const height = size(this.heightTarget, 600);
      this.codeTarget.value =
        `<iframe src="${escapeAttribute(url)}" title="${escapeAttribute(this.titleValue)}"` +
        ` width="${width}" height="${height}" loading="lazy"` +
        ` referrerpolicy="strict-origin-when-cross-origin"></iframe>`;
      this.linkTarget.href = url;
      this.linkTarget.textContent = url;
      this.previewTarget.width = String(width);
      this.previewTarget.height = String(height);
      // Reload the preview once the editor pauses.
      window.clearTimeout(this.previewTimer);
      this.previewTimer = window.setTimeout(() => {
        if (this.previewTarget.getAttribute("src") !== url) this.previewTarget.src = url;
      }, 400);
      this.statusTarget.textContent = "";
    }

    async copy() {
      const code = this.codeTarget.value;
      try {
        await navigator.clipboard.writeText(code);
        this.statusTarget.textContent = this.copiedValue;
      } catch {
        this.codeTarget.focus();
        this.codeTarget.select();
        const done = document.execCommand && document.execCommand("copy");
        this.statusTarget.textContent = done ? this.copiedValue : this.copyFailedValue;
      }
    }
  }

  window.wagtail.app.register("umap-share", ShareController);
})();
