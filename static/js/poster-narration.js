// A poster's narration on its page, for those who may edit the poster
// (templates/posters/_narration.html): upload an audio or video file with fetch (the raw
// file as the body of PUT /api/v1/streaming/owned/poster/<id>/recording), follow its
// processing through GET on the same address, add WebVTT captions to it once it is ready
// (PUT .../captions/<language>), and remove it with DELETE. Once a narration
// this page watched becomes ready, the page reloads to show its player.
(() => {
  "use strict";
  const root = document.querySelector("[data-poster-narration]");
  if (!root) {
    return;
  }
  const url = root.dataset.url;
  const status = root.querySelector("[data-narration-status]");
  const bar = root.querySelector("[data-narration-progress]");
  const form = root.querySelector("[data-narration-upload]");
  const remove = root.querySelector("[data-narration-remove]");
  const uploadStatus = root.querySelector("[data-narration-upload-status]");
  const label = form.querySelector("label");
  const captionsForm = root.querySelector("[data-narration-captions]");
  const captionList = root.querySelector("[data-narration-caption-list]");
  const POLL_MS = 1500;
  // Browsers leave a file's type empty when they do not know it: the server wants one.
  const TYPES = {
    m4a: "audio/mp4", mp3: "audio/mpeg", ogg: "audio/ogg", oga: "audio/ogg", opus: "audio/ogg",
    wav: "audio/wav", mp4: "video/mp4", mov: "video/quicktime", webm: "video/webm", mkv: "video/x-matroska",
  };
  let watched = false; // did this page see it processing?

  function describe(narration) {
    if (narration.status === "ready") {
      return narration.published
        ? "Ready: viewers of the poster can play the narration."
        : "Ready: waiting for an organizer to publish it.";
    }
    if (narration.status === "failed") {
      return `The narration could not be processed: ${narration.error || "unknown error"}. Upload it again.`;
    }
    if (narration.job_state === "running") {
      return `Processing: ${Math.round(narration.progress)} %.`;
    }
    return "Received: waiting to be processed.";
  }

  function show(narration) {
    const state = narration ? narration.status : "none";
    status.dataset.state = state;
    status.textContent = narration ? describe(narration) : "No narration yet.";
    bar.hidden = state !== "processing";
    bar.value = narration ? narration.progress : 0;
    remove.hidden = !narration || state === "processing";
    label.textContent = narration ? "Replace the narration (audio or video)" : "Upload a narration (audio or video)";
    captionsForm.hidden = state !== "ready";
    const captions = narration ? narration.captions : [];
    captionList.textContent = captions.length
      ? `Captions: ${captions.map((c) => `${c.label} (${c.language})`).join(", ")}.`
      : "No captions yet: a WebVTT file lets those who cannot hear it read along.";
  }

  async function follow() {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    } catch {
      window.setTimeout(follow, POLL_MS * 4);
      return;
    }
    if (response.status === 404) {
      show(null);
      return;
    }
    if (!response.ok) {
      status.textContent = "The narration's state could not be read: reload the page.";
      return;
    }
    const narration = await response.json();
    show(narration);
    if (narration.status === "processing") {
      watched = true;
      window.setTimeout(follow, POLL_MS);
    } else if (narration.status === "ready" && watched) {
      window.location.reload(); // the page then has its player
    }
  }

  function typeOf(file) {
    if (file.type) {
      return file.type;
    }
    const extension = file.name.split(".").pop().toLowerCase();
    return TYPES[extension] || "application/octet-stream";
  }

  async function refusal(response) {
    const body = await response.json().catch(() => ({}));
    return body.detail || response.statusText;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("[data-narration-file]").files[0];
    if (!file) {
      return;
    }
    uploadStatus.textContent = "Uploading…";
    let response;
    try {
      response = await fetch(url, {
        method: "PUT",
        body: file,
        headers: { "Content-Type": typeOf(file), "X-CSRF-Token": root.dataset.csrf, Accept: "application/json" },
      });
    } catch {
      uploadStatus.textContent = "The upload failed: check the connection and try again.";
      return;
    }
    if (!response.ok) {
      uploadStatus.textContent = `The upload was refused: ${await refusal(response)}`;
      return;
    }
    uploadStatus.textContent = "Uploaded.";
    form.reset();
    watched = true;
    follow();
  });

  captionsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = captionsForm.querySelector("[data-narration-vtt]").files[0];
    const language = captionsForm.querySelector("[data-narration-language]").value.trim();
    if (!file || !language) {
      return;
    }
    let response;
    try {
      response = await fetch(`${url}/captions/${encodeURIComponent(language)}`, {
        method: "PUT",
        body: file,
        headers: { "Content-Type": "text/vtt", "X-CSRF-Token": root.dataset.csrf, Accept: "application/json" },
      });
    } catch {
      uploadStatus.textContent = "The captions were not sent: check the connection and try again.";
      return;
    }
    if (!response.ok) {
      uploadStatus.textContent = `The captions were refused: ${await refusal(response)}`;
      return;
    }
    window.location.reload(); // the player then offers them
  });

  remove.addEventListener("click", async () => {
    const response = await fetch(url, {
      method: "DELETE",
      headers: { "X-CSRF-Token": root.dataset.csrf, Accept: "application/json" },
    });
    if (!response.ok) {
      uploadStatus.textContent = `The narration was not removed: ${await refusal(response)}`;
      return;
    }
    window.location.reload();
  });

  follow();
})();
