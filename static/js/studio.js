// The studio: pick a camera and microphone, preview, go live over WHIP (RFC 9725) from the
// browser, stop, and watch the sender's statistics and the viewer count; upload a
// pre-recorded talk and follow its processing.
//
// WHIP here: one RTCPeerConnection with send-only transceivers, the complete offer (ICE
// gathered, no trickle) POSTed as application/sdp with the session cookie and the CSRF
// header; 201 brings the answer and the resource URL that DELETE ends.
//
// Live means on air: the server says so (`stage.state` live, or the status endpoint) once
// the first segment exists, not when the connection is up. A broadcast that ends before
// that says why (`stage.publish_failed`), and the studio shows it.
"use strict";

(() => {
  const root = document.querySelector("[data-studio]");
  if (!root) return;

  const STAGE = root.dataset.stage;
  const WHIP_URL = root.dataset.whipUrl;
  const CSRF = root.dataset.csrf;
  const ICE_GATHER_MS = 5000;
  const $ = (selector) => root.querySelector(selector);

  const cameraSelect = $("[data-studio-camera]");
  const micSelect = $("[data-studio-microphone]");
  const preview = $("[data-studio-preview]");
  const goLiveButton = $("[data-studio-golive]");
  const stopButton = $("[data-studio-stop]");
  const stateBadge = $("[data-studio-state]");
  const statusLine = $("[data-studio-status]");
  const stat = (name) => root.querySelector(`[data-stat="${name}"]`);

  let stream = null;
  let pc = null;
  let resource = null; // the WHIP resource URL while live
  let statsTimer = null;
  let lastSample = null;
  let awaitingAir = false; // accepted by the server, not on air yet
  let airTimer = null;

  function setStatus(text, isError = false) {
    statusLine.textContent = text;
    statusLine.classList.toggle("is-error", isError);
  }

  function setState(state, label) {
    stateBadge.textContent = label;
    stateBadge.className = `stage-state state-${state}`;
    root.dataset.state = state;
  }

  // ------------------------------------------------------------- devices and preview

  async function openDevices() {
    const video = cameraSelect.value ? { deviceId: { exact: cameraSelect.value } } : true;
    const audio = micSelect.value ? { deviceId: { exact: micSelect.value } } : true;
    let fresh;
    try {
      fresh = await navigator.mediaDevices.getUserMedia({
        video: video === true ? { width: { ideal: 1280 }, height: { ideal: 720 } } : { ...video, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio,
      });
    } catch (error) {
      setStatus(`The camera or microphone could not be opened: ${error.message || error.name}. Check the browser's permission for this site.`, true);
      return;
    }
    const old = stream;
    stream = fresh;
    preview.srcObject = stream;
    if (pc) {
      // Live already: swap the tracks without a new negotiation.
      for (const sender of pc.getSenders()) {
        const track = stream.getTracks().find((t) => sender.track && t.kind === sender.track.kind);
        if (track) await sender.replaceTrack(track);
      }
    }
    if (old) for (const track of old.getTracks()) track.stop();
    await listDevices();
    goLiveButton.disabled = pc !== null || root.dataset.mayGoLive === "no";
    if (!pc) setStatus("Ready. Check your picture and sound, then go live.");
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind, fallback) => {
      const current = stream && stream.getTracks().find((t) => t.kind === kind.replace("input", ""));
      const currentId = current ? current.getSettings().deviceId : select.value;
      const options = devices
        .filter((d) => d.kind === kind)
        .map((d, index) => new Option(d.label || `${fallback} ${index + 1}`, d.deviceId));
      if (!options.length) options.push(new Option(`No ${fallback.toLowerCase()} found`, ""));
      select.replaceChildren(...options);
      if (currentId) select.value = currentId;
    };
    fill(cameraSelect, "videoinput", "Camera");
    fill(micSelect, "audioinput", "Microphone");
  }

  cameraSelect.addEventListener("change", openDevices);
  micSelect.addEventListener("change", openDevices);

  // ------------------------------------------------------------- WHIP

  async function goLive() {
    if (!stream || pc) return;
    awaitingAir = false;
    goLiveButton.disabled = true;
    setState("connecting", "Connecting…");
    setStatus("Connecting to the stage…");
    const connection = new RTCPeerConnection({ iceServers: [] });
    pc = connection;
    for (const track of stream.getTracks()) {
      connection.addTransceiver(track, { direction: "sendonly", streams: [stream] });
    }
    connection.addEventListener("connectionstatechange", () => {
      if (pc !== connection) return;
      const state = connection.connectionState;
      if (state === "connected" && awaitingAir) {
        setState("connecting", "Starting…");
        setStatus("Connected. The stage goes live with your first seconds of video…");
      } else if (state === "failed") {
        setStatus("The connection to the stage failed: go live again.", true);
        end(false);
      } else if (state === "disconnected") {
        setStatus("The connection to the stage is interrupted…", true);
      }
    });
    try {
      await connection.setLocalDescription(await connection.createOffer());
      await Signaling.iceGathered(connection, ICE_GATHER_MS);
      const response = await fetch(WHIP_URL, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/sdp", "X-CSRF-Token": CSRF },
        body: connection.localDescription.sdp,
      });
      if (response.status !== 201) {
        const why = response.status === 409 ? "This stage is already live (someone else is publishing)." : await Signaling.errorDetail(response);
        throw new Error(why);
      }
      const location = response.headers.get("Location");
      resource = location ? new URL(location, window.location.href).href : null;
      const answer = await response.text();
      if (pc !== connection) return; // stopped meanwhile
      await connection.setRemoteDescription({ type: "answer", sdp: answer });
      stopButton.disabled = false;
      startStats();
      awaitingAir = true;
      watchForAir();
    } catch (error) {
      setStatus(`Could not go live: ${error.message}`, true);
      await end(true);
    }
  }

  function onAir() {
    if (!pc || !awaitingAir) return;
    awaitingAir = false;
    clearInterval(airTimer);
    setState("live", "Live");
    setStatus("You are live.");
  }

  function notOnAir(message) {
    // The server ended the broadcast before it went live, and says why.
    if (!awaitingAir) return;
    awaitingAir = false;
    clearInterval(airTimer);
    setStatus(`The stage did not go live. ${message}`, true);
    if (pc) end(false);
  }

  function watchForAir() {
    // The realtime event is the fast path; this covers a reconnecting socket.
    clearInterval(airTimer);
    airTimer = setInterval(async () => {
      if (!awaitingAir) return clearInterval(airTimer);
      try {
        const response = await fetch(`/api/v1/streaming/stages/${encodeURIComponent(STAGE)}/status`, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.ok && (await response.json()).state === "live") onAir();
      } catch {
        // The next tick tries again.
      }
    }, 2000);
  }

  async function end(tellServer) {
    const connection = pc;
    const url = resource;
    pc = null;
    resource = null;
    stopButton.disabled = true;
    clearInterval(airTimer);
    clearInterval(statsTimer);
    lastSample = null;
    if (connection) connection.close();
    if (tellServer && url) {
      try {
        const response = await fetch(url, {
          method: "DELETE",
          credentials: "same-origin",
          headers: { "X-CSRF-Token": CSRF },
        });
        if (!response.ok && response.status !== 404) setStatus(`Stopping: ${await Signaling.errorDetail(response)}`, true);
      } catch {
        setStatus("The stage could not be told to stop; it stops by itself shortly.", true);
      }
    }
    setState("offline", "Off air");
    goLiveButton.disabled = !stream || root.dataset.mayGoLive === "no";
  }

  goLiveButton.addEventListener("click", goLive);
  stopButton.addEventListener("click", async () => {
    awaitingAir = false;
    await end(true);
    setStatus("Stopped. The recording is being prepared.");
  });
  window.addEventListener("pagehide", () => {
    if (resource) {
      // Best effort: a closed tab should not leave the stage live until its timeout.
      fetch(resource, { method: "DELETE", keepalive: true, credentials: "same-origin", headers: { "X-CSRF-Token": CSRF } });
    }
  });

  // ------------------------------------------------------------- statistics

  function startStats() {
    clearInterval(statsTimer);
    statsTimer = setInterval(sampleStats, 1000);
  }

  async function sampleStats() {
    if (!pc) return;
    const report = await pc.getStats();
    let video = null;
    let audio = null;
    let source = null;
    report.forEach((entry) => {
      if (entry.type === "outbound-rtp" && entry.kind === "video") video = entry;
      if (entry.type === "outbound-rtp" && entry.kind === "audio") audio = entry;
      if (entry.type === "media-source" && entry.kind === "video") source = entry;
    });
    if (!video) return;
    const bytes = video.bytesSent + (audio ? audio.bytesSent : 0);
    const now = video.timestamp;
    if (lastSample && now > lastSample.at) {
      const kbps = ((bytes - lastSample.bytes) * 8) / (now - lastSample.at);
      stat("bitrate").textContent = `${Math.max(0, Math.round(kbps))} kb/s`;
    }
    lastSample = { bytes, at: now };
    stat("fps").textContent = video.framesPerSecond !== undefined ? `${Math.round(video.framesPerSecond)} fps` : "–";
    stat("resolution").textContent = video.frameWidth ? `${video.frameWidth}×${video.frameHeight}` : "–";
    // Frames the camera gave that the encoder never sent.
    if (source && typeof source.frames === "number" && typeof video.framesEncoded === "number") {
      stat("dropped").textContent = String(Math.max(0, source.frames - video.framesEncoded - 1));
    } else if (typeof video.framesDropped === "number") {
      stat("dropped").textContent = String(video.framesDropped);
    }
    const reason = video.qualityLimitationReason;
    stat("limitation").textContent = !reason || reason === "none" ? "Nothing" : reason === "cpu" ? "Processor" : reason === "bandwidth" ? "Network" : reason;
  }

  // ------------------------------------------------------------- viewers (presence)

  // The stage's channel on the page's one socket (static/js/socket.js).
  if (window.LiveSocket) {
    window.LiveSocket.subscribe(`stage:${STAGE}`, {
      on: {
        presence: (data) => {
          // This studio is subscribed too: it is not a viewer.
          stat("viewers").textContent = String(Math.max(0, Number(data.viewers || 0) - 1));
        },
        "stage.state": (data) => {
          if (data.state === "live") {
            if (pc) onAir();
            else setState("busy", "Live from elsewhere");
          } else if (!pc) {
            setState("offline", "Off air");
          }
        },
        "stage.publish_failed": (data) => notOnAir(String(data.message || "")),
      },
    });
  }

  // ------------------------------------------------------------- upload

  const form = root.querySelector("[data-studio-upload]");
  if (form) {
    const sessionSelect = form.querySelector("[data-upload-session]");
    const talkSelect = form.querySelector("[data-upload-talk]");
    const progress = form.querySelector("[data-upload-progress]");
    const uploadStatus = form.querySelector("[data-upload-status]");
    const say = (text, isError = false) => {
      uploadStatus.textContent = text;
      uploadStatus.classList.toggle("is-error", isError);
    };
    const syncTalks = () => {
      for (const option of talkSelect.options) {
        option.hidden = Boolean(option.dataset.session) && option.dataset.session !== sessionSelect.value;
      }
      if (talkSelect.selectedOptions[0] && talkSelect.selectedOptions[0].hidden) talkSelect.value = "";
    };
    sessionSelect.addEventListener("change", syncTalks);
    syncTalks();

    const followJob = (jobId) => {
      const timer = setInterval(async () => {
        let job;
        try {
          const response = await fetch(`/api/v1/streaming/jobs/${encodeURIComponent(jobId)}`, { headers: { Accept: "application/json" } });
          if (!response.ok) throw new Error(await Signaling.errorDetail(response));
          job = await response.json();
        } catch (error) {
          clearInterval(timer);
          say(`Could not follow the processing: ${error.message}`, true);
          return;
        }
        const fraction = job.progress > 1 ? job.progress / 100 : job.progress || 0;
        progress.value = 50 + Math.round(fraction * 50);
        if (job.state === "done") {
          clearInterval(timer);
          progress.value = 100;
          say("Done: the talk is ready and listed with the session's recordings.");
        } else if (job.state === "failed") {
          clearInterval(timer);
          say(`Processing failed: ${job.error || "the file could not be converted"}.`, true);
        } else {
          say(`Processing: ${Math.round(fraction * 100)} %${job.state === "queued" ? " (waiting for a worker)" : ""}.`);
        }
      }, 2000);
    };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const file = form.querySelector("[data-upload-file]").files[0];
      if (!file) {
        say("Choose a video file first.", true);
        return;
      }
      const params = new URLSearchParams({ session: sessionSelect.value, title: form.querySelector("[data-upload-title]").value.trim() || file.name });
      if (talkSelect.value) params.set("talk", talkSelect.value);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `/api/v1/streaming/uploads?${params}`);
      xhr.setRequestHeader("X-CSRF-Token", CSRF);
      xhr.setRequestHeader("Accept", "application/json");
      if (file.type) xhr.setRequestHeader("Content-Type", file.type);
      progress.hidden = false;
      progress.value = 0;
      // The bar's first half is the upload, the second the processing.
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) {
          progress.value = Math.round((e.loaded / e.total) * 50);
          say(`Uploading: ${Math.round((e.loaded / e.total) * 100)} %.`);
        }
      });
      xhr.addEventListener("load", () => {
        let body;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = {};
        }
        if (xhr.status !== 202) {
          const why = xhr.status === 413 ? "the file is larger than allowed" : typeof body.detail === "string" ? body.detail : `the server answered ${xhr.status}`;
          say(`The upload was refused: ${why}.`, true);
          return;
        }
        progress.value = 50;
        say("Uploaded. Processing…");
        followJob(body.job_id);
      });
      xhr.addEventListener("error", () => say("The upload failed: check the connection and try again.", true));
      xhr.send(file);
    });
  }

  // ------------------------------------------------------------- start

  if (!navigator.mediaDevices || !window.RTCPeerConnection) {
    setStatus("This browser cannot send video (no WebRTC or camera access; the page must be served over HTTPS).", true);
    return;
  }
  openDevices();
})();
