// The poster page's zoomable viewer: OpenSeadragon (npm, served from /static/vendor) on the
// poster's deep-zoom tiles (templates/posters/_viewer.html).
//
// OpenSeadragon's own keyboard navigation works while its canvas has the focus (+ / -
// zoom, arrows or WASD move, 0 whole poster); the canvas gets an accessible name and a
// description pointing at the key help and the abstract (the poster's text alternative).
// Our own buttons (real <button>s, so they are reachable and named) zoom, go home and put
// the viewer with its toolbar in full screen.
"use strict";

(() => {
  const ZOOM_STEP = 1.5;

  // OpenSeadragon's constructor appends a <style> to the head (hiding the canvas's focus
  // outline on touch screens). The page's CSP refuses inline styles, and we want the focus
  // ring everywhere: while the viewer is made, that one element is not appended.
  function withoutInjectedStyle(create) {
    const head = document.head;
    head.appendChild = function (node) {
      if (node instanceof HTMLStyleElement && node.dataset.openseadragonMobileCss) return node;
      return Node.prototype.appendChild.call(head, node);
    };
    try {
      return create();
    } finally {
      delete head.appendChild;
    }
  }

  function setUp(frame) {
    const OSD = window.OpenSeadragon;
    const element = frame.querySelector(".poster-viewer");
    if (!OSD || !element) return;
    const viewer = withoutInjectedStyle(() => OSD({
      element,
      tileSources: frame.dataset.dziUrl,
      prefixUrl: "/static/vendor/openseadragon/images/",
      showNavigationControl: false,
      keyboardNavEnabled: true,
      visibilityRatio: 0.5,
      // The tiles come from our origin: no CORS request needed.
      crossOriginPolicy: false,
    }));
    const canvas = viewer.canvas;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-roledescription", "zoomable poster");
    canvas.setAttribute("aria-label", element.dataset.label || "Poster");
    canvas.setAttribute("aria-describedby", element.dataset.describedby || "");
    canvas.dataset.testid = "viewer-canvas";

    const zoomBy = (factor) => {
      viewer.viewport.zoomBy(factor);
      viewer.viewport.applyConstraints();
    };
    const actions = {
      "zoom-in": () => zoomBy(ZOOM_STEP),
      "zoom-out": () => zoomBy(1 / ZOOM_STEP),
      home: () => viewer.viewport.goHome(),
      "full-screen": () => {
        if (document.fullscreenElement === frame) {
          document.exitFullscreen();
        } else if (frame.requestFullscreen) {
          frame.requestFullscreen().catch(() => {});
        }
      },
    };
    frame.querySelectorAll("[data-viewer-action]").forEach((button) => {
      button.addEventListener("click", () => {
        const act = actions[button.dataset.viewerAction];
        if (act) act();
      });
    });
    const fullButton = frame.querySelector('[data-viewer-action="full-screen"]');
    document.addEventListener("fullscreenchange", () => {
      const isFull = document.fullscreenElement === frame;
      frame.classList.toggle("is-full-screen", isFull);
      if (fullButton) fullButton.textContent = isFull ? "Leave full screen" : "Full screen";
    });
    // Tests and the page read the current zoom from here.
    viewer.addHandler("zoom", (event) => {
      frame.dataset.zoom = String(event.zoom);
    });
    viewer.addHandler("open", () => {
      frame.dataset.state = "open";
      frame.dataset.homeZoom = String(viewer.viewport.getHomeZoom());
    });
    viewer.addHandler("open-failed", () => {
      frame.dataset.state = "failed";
    });
  }

  function start() {
    document.querySelectorAll("[data-poster-viewer]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
