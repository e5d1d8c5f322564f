// A poster's PDF on its page (templates/posters/_pdf.html): upload a new PDF with fetch
// (the raw file as the body of PUT /api/v1/posters/<id>/pdf) and follow its render through
// GET /api/v1/posters/<id> until it is ready or failed.
(() => {
  "use strict";
  const root = document.querySelector("[data-poster-pdf]");
  if (!root) {
    return;
  }
  const posterId = root.dataset.posterId;
  const status = root.querySelector("[data-render-status]");
  const bar = root.querySelector("[data-render-progress]");
  const form = root.querySelector("[data-pdf-upload]");
  const uploadStatus = root.querySelector("[data-upload-status]");
  const POLL_MS = 1500;

  const texts = {
    none: () => "No PDF yet.",
    queued: () => "PDF received: waiting to be rendered.",
    rendering: (p) => `Rendering: ${Math.round(p.render_progress)} %.`,
    ready: () => "Ready: the zoomable poster and its thumbnail are shown to viewers.",
    failed: (p) => `The PDF could not be rendered: ${p.render_error}`,
  };

  function show(poster) {
    const state = poster.render_state;
    status.dataset.state = state;
    status.textContent = (texts[state] || texts.none)(poster);
    bar.hidden = state !== "queued" && state !== "rendering";
    bar.value = poster.render_progress;
  }

  async function follow() {
    const response = await fetch(`/api/v1/posters/${posterId}`, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      return;
    }
    const poster = await response.json();
    show(poster);
    if (poster.render_state === "ready") {
      // The thumbnail's address carries the new render's version: the page has it. Read
      // the page again with GET (the edit page may be the answer to a refused save).
      window.location.replace(window.location.href.split("#")[0]);
    } else if (poster.render_state === "queued" || poster.render_state === "rendering") {
      window.setTimeout(follow, POLL_MS);
    }
  }

  // No form once the deadline has passed: the render is still followed.
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("[data-pdf-file]").files[0];
    if (!file) {
      return;
    }
    uploadStatus.textContent = "Uploading…";
    let response;
    try {
      response = await fetch(`/api/v1/posters/${posterId}/pdf`, {
        method: "PUT",
        body: file,
        headers: { "Content-Type": "application/pdf", "X-CSRF-Token": root.dataset.csrf, Accept: "application/json" },
      });
    } catch {
      uploadStatus.textContent = "The upload failed: check the connection and try again.";
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      uploadStatus.textContent = `The upload was refused: ${body.detail || response.statusText}`;
      return;
    }
    uploadStatus.textContent = "Uploaded.";
    form.reset();
    show(await response.json());
    window.setTimeout(follow, POLL_MS);
  });

  if (status.dataset.state === "queued" || status.dataset.state === "rendering") {
    window.setTimeout(follow, POLL_MS);
  }
})();
