// The video player of stage and session pages: HLS through hls.js (native HLS where the
// browser has it), live badge and delay, quality, captions and keyboard controls.
//
// A stage player asks the status API (which sets the media token cookie), follows the
// stage over the page's one socket (`stage.state` on `stage:<slug>`, polling every 15 s
// when the socket is down) and switches between the slate (off air), live, premiere and
// the replay. A recording player asks the play API once, then again before its token
// expires.
"use strict";

(() => {
  const POLL_MS = 15000;
  // Ask again this long before the media token expires (MEDIA_TOKEN_SECONDS, 120 s by
  // default), or halfway through its life if that is sooner.
  const TOKEN_MARGIN_MS = 60000;
  // The server's clock less ours (from the Date header of the last API answer): token
  // expiry is the server's time, and a viewer's clock may be minutes off.
  let serverOffsetMs = 0;

  function fmtClock(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
    const s = Math.floor(seconds % 60);
    const m = Math.floor(seconds / 60) % 60;
    const h = Math.floor(seconds / 3600);
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  function fmtInstant(iso, zone) {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return "";
    const options = {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short",
    };
    try {
      return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone }).format(when);
    } catch {
      return new Intl.DateTimeFormat("en-GB", options).format(when);
    }
  }

  async function getJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    });
    if (!response.ok) {
      let detail = `${response.status}`;
      try {
        detail = (await response.json()).detail || detail;
      } catch {
        // not JSON: keep the status
      }
      const failure = new Error(typeof detail === "string" ? detail : `${response.status}`);
      failure.status = response.status;
      throw failure;
    }
    const serverDate = Date.parse(response.headers.get("Date") || "");
    if (!Number.isNaN(serverDate)) serverOffsetMs = serverDate - Date.now();
    return response.json();
  }

  class Player {
    constructor(root) {
      this.root = root;
      this.video = root.querySelector("[data-player-video]");
      this.slate = root.querySelector("[data-player-slate]");
      this.statusLine = root.querySelector("[data-player-status]");
      this.ui = {
        play: root.querySelector("[data-player-play]"),
        mute: root.querySelector("[data-player-mute]"),
        live: root.querySelector("[data-player-live]"),
        behind: root.querySelector("[data-player-behind]"),
        seekWrap: root.querySelector("[data-player-seek-wrap]"),
        seek: root.querySelector("[data-player-seek]"),
        time: root.querySelector("[data-player-time]"),
        quality: root.querySelector("[data-player-quality]"),
        captions: root.querySelector("[data-player-captions]"),
        fullscreen: root.querySelector("[data-player-fullscreen]"),
        download: root.querySelector("[data-player-download]"),
      };
      this.zone = root.dataset.timeZone || undefined;
      this.statusUrl = root.dataset.statusUrl || null;
      this.stage = root.dataset.stage || null;
      this.hls = null;
      this.source = null; // the master URL playing
      this.isLive = false;
      this.premiereStart = null; // Date when a premiere began (every viewer at one position)
      this.tokenTimer = null;
      this.pollTimer = null;
      this.socketUp = false;
      this.recordingUrl = null;
      this.engaged = false; // has this viewer watched anything on this page yet?
      this.bind();
    }

    // ------------------------------------------------------------- state and sources

    start() {
      if (this.statusUrl) {
        this.refreshStatus();
        if (this.stage && window.LiveSocket) this.follow(window.LiveSocket);
        this.pollTimer = setInterval(() => {
          if (!this.socketUp) this.refreshStatus();
        }, POLL_MS);
      } else if (this.root.dataset.playUrl) {
        this.loadRecording(this.root.dataset.playUrl);
      }
    }

    // The stage's channel on the page's one socket (static/js/socket.js): its state events
    // now, the status API whenever the socket is down (every POLL_MS) or back.
    follow(live) {
      live.subscribe(`stage:${this.stage}`, {
        on: { "stage.state": (data) => this.onStageEvent(data) },
        subscribed: () => {
          this.socketUp = true;
          this.refreshStatus(); // whatever changed while away
        },
      });
      live.onState(({ state }) => {
        if (state === "closed") this.socketUp = false; // signed out or refused: polling carries on
      });
    }

    onStageEvent(data) {
      // The event has no token: ask the status API, which sets the cookie for the new
      // source. A little jitter spreads a full hall's requests over a second.
      clearTimeout(this.eventTimer);
      this.eventTimer = setTimeout(() => this.refreshStatus(), Math.random() * 800);
      if (data.state && data.state !== this.root.dataset.state) this.say(this.describe(data.state));
    }

    describe(state) {
      return { live: "The stage is live.", ended: "The stream has ended.", offline: "The stage is off air.", premiere: "The premiere has started." }[state] || "";
    }

    async refreshStatus() {
      let status;
      try {
        status = await getJson(this.statusUrl);
      } catch (error) {
        this.setStatus(error.status === 401 ? "Sign in again to watch." : `Could not load the stage: ${error.message}`, true);
        return;
      }
      this.scheduleToken(status.token_expires_at, () => this.refreshStatus());
      this.applyStatus(status);
    }

    applyStatus(status) {
      const state = status.state;
      if (state === "live" || state === "premiere") {
        this.recordingUrl = null;
        this.premiereStart = state === "premiere" && status.started_at ? new Date(status.started_at) : null;
        this.setState(state);
        if (status.master_url && status.master_url !== this.source) this.load(status.master_url, { live: true });
        this.setStatus(state === "live" ? "Live." : "Premiere: playing as live.");
        return;
      }
      if (state === "ended" && status.recording) {
        const url = `/api/v1/streaming/recordings/${encodeURIComponent(status.recording.id)}/play`;
        if (this.recordingUrl !== url) {
          this.setState("ended");
          // Someone who was watching the live stream goes straight on to the replay.
          this.loadRecording(url, { autoplay: this.engaged });
        }
        return;
      }
      this.recordingUrl = null;
      this.stop();
      this.setState(state === "ended" ? "ended" : "offline");
      this.showSlate(status);
      if (state === "ended") {
        // The recording is being finished: look again shortly rather than in 15 s.
        clearTimeout(this.endedTimer);
        this.endedTimer = setTimeout(() => this.refreshStatus(), 3000);
      }
    }

    async loadRecording(url, { autoplay = false } = {}) {
      this.recordingUrl = url;
      let play;
      try {
        play = await getJson(url);
      } catch (error) {
        this.setStatus(`Could not load the recording: ${error.message}`, true);
        return;
      }
      if (this.recordingUrl !== url) return; // another source was chosen meanwhile
      this.scheduleToken(play.token_expires_at, () => this.renewRecording(url));
      if (!this.statusUrl) this.setState(play.premiere_at && new Date(play.premiere_at) > new Date() ? "premiere-waiting" : "vod");
      if (play.poster_url) this.video.poster = play.poster_url;
      if (play.mp4_url) {
        this.ui.download.href = play.mp4_url;
        this.ui.download.hidden = false;
      } else {
        this.ui.download.hidden = true;
      }
      this.load(play.master_url, { live: false, captions: play.captions || [], autoplay });
      const what = play.title ? ` of ${play.title}` : "";
      if (this.statusUrl) {
        this.setStatus(autoplay ? `The stream has ended: playing the replay${what}.` : `The stream has ended: press Play to watch the replay${what}.`);
      } else {
        this.setStatus(`Recording${play.title ? `: ${play.title}` : ""}. Press Play to watch.`);
      }
    }

    async renewRecording(url) {
      // Only the cookie matters: the playing source stays.
      try {
        const play = await getJson(url);
        this.scheduleToken(play.token_expires_at, () => this.renewRecording(url));
      } catch {
        this.setStatus("Could not renew access to the video: reload the page.", true);
      }
    }

    scheduleToken(expiresAt, renew) {
      clearTimeout(this.tokenTimer);
      const at = Date.parse(expiresAt || "");
      if (Number.isNaN(at)) return;
      const left = at - (Date.now() + serverOffsetMs);
      const delay = Math.max(5000, Math.min(left - TOKEN_MARGIN_MS, left / 2));
      this.tokenTimer = setTimeout(renew, delay);
    }

    showSlate(status) {
      this.slate.hidden = false;
      const title = this.slate.querySelector("[data-slate-title]");
      const next = this.slate.querySelector("[data-slate-next]");
      title.textContent = status.state === "ended" ? "The stream has ended" : "Off air";
      const upcoming = status.next_session;
      if (upcoming && upcoming.title) {
        next.textContent = `Next: ${upcoming.title}, ${fmtInstant(upcoming.starts_at, this.zone)}`;
      } else if (status.session && status.session.title) {
        next.textContent = `${status.session.title} starts soon.`;
      } else {
        next.textContent = "Nothing more is scheduled on this stage.";
      }
      this.setStatus(`${title.textContent}. ${next.textContent}`);
    }

    setState(state) {
      this.root.dataset.state = state;
      this.isLive = state === "live" || state === "premiere";
      this.ui.live.hidden = !this.isLive;
      this.ui.live.lastChild.textContent = state === "premiere" ? "Premiere" : "Live";
      if (this.isLive || state === "vod" || state === "ended") this.slate.hidden = true;
    }

    // ------------------------------------------------------------- playback

    stop() {
      if (this.hls) {
        this.hls.destroy();
        this.hls = null;
      }
      this.source = null;
      this.video.removeAttribute("src");
      for (const track of this.video.querySelectorAll("track")) track.remove();
      this.video.load();
      this.ui.seekWrap.hidden = true;
      this.enable(false);
    }

    load(url, { live, captions = [], autoplay = true }) {
      this.stop();
      this.source = url;
      this.isLive = live;
      for (const caption of captions) {
        const track = document.createElement("track");
        track.kind = "subtitles";
        track.src = caption.url;
        track.srclang = caption.language;
        track.label = caption.label || caption.language;
        this.video.append(track);
      }
      this.ui.captions.hidden = captions.length === 0;
      this.ui.captions.setAttribute("aria-pressed", "false");
      this.ui.quality.replaceChildren(new Option("Auto", "-1"));
      const Hls = window.Hls;
      if (Hls && Hls.isSupported()) {
        const hls = new Hls({
          workerPath: "/static/vendor/hls/hls.worker.js",
          liveSyncDurationCount: 2,
          liveMaxLatencyDurationCount: 6,
          backBufferLength: live ? 30 : 90,
          xhrSetup: (xhr) => {
            xhr.withCredentials = true;
          },
        });
        this.hls = hls;
        hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
          const options = [new Option("Auto", "-1")];
          data.levels.forEach((level, index) => {
            const name = level.height ? `${level.height}p` : `Level ${index + 1}`;
            options.push(new Option(`${name}${level.bitrate ? ` (${Math.round(level.bitrate / 1000)} kb/s)` : ""}`, String(index)));
          });
          this.ui.quality.replaceChildren(...options);
          this.ui.quality.disabled = data.levels.length < 2;
          if (autoplay) this.playNow();
        });
        hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
          if (this.premiereStart && data.details && !data.details.live && !this.premiereSought) {
            // A premiere served as a finished playlist: everyone at the same position.
            this.premiereSought = true;
            this.video.currentTime = Math.max(0, (Date.now() - this.premiereStart.getTime()) / 1000);
          }
          if (data.details && data.details.live === false && this.isLive && !this.premiereStart) {
            this.refreshStatus(); // the live playlist ended: the stage has stopped
          }
        });
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (!data.fatal) return;
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
            return;
          }
          if (this.statusUrl) {
            this.refreshStatus(); // token expired, stream stopped: the status says which
          } else {
            this.setStatus("The video could not be loaded.", true);
          }
        });
        hls.loadSource(url);
        hls.attachMedia(this.video);
      } else if (this.video.canPlayType("application/vnd.apple.mpegurl")) {
        this.video.src = url;
        this.ui.quality.disabled = true;
        if (autoplay) this.playNow();
      } else {
        this.setStatus("This browser cannot play the video (no HLS or Media Source support).", true);
        return;
      }
      this.premiereSought = false;
      this.ui.seekWrap.hidden = live;
      this.enable(true);
    }

    async playNow() {
      try {
        await this.video.play();
      } catch {
        // Autoplay with sound is refused without a gesture: start muted, offer the sound.
        if (!this.video.muted) {
          this.video.muted = true;
          try {
            await this.video.play();
            this.setStatus("Playing without sound: press Unmute (or m) to hear it.");
          } catch {
            this.setStatus("Press Play to start.");
          }
        }
      }
      this.sync();
    }

    enable(on) {
      for (const name of ["play", "mute"]) this.ui[name].disabled = !on;
      if (!on) this.ui.quality.disabled = true;
    }

    // ------------------------------------------------------------- controls

    togglePlay() {
      if (!this.source) return;
      if (this.video.paused) this.playNow();
      else this.video.pause();
    }

    toggleMute() {
      this.video.muted = !this.video.muted;
      this.sync();
    }

    toggleCaptions() {
      const tracks = Array.from(this.video.textTracks).filter((t) => t.kind === "subtitles" || t.kind === "captions");
      if (!tracks.length) return;
      const showing = tracks.some((t) => t.mode === "showing");
      tracks.forEach((t, index) => {
        t.mode = !showing && index === 0 ? "showing" : "hidden";
      });
      this.ui.captions.setAttribute("aria-pressed", String(!showing));
      this.say(showing ? "Captions off." : `Captions on: ${tracks[0].label}.`);
    }

    toggleFullscreen() {
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else if (this.root.requestFullscreen) this.root.requestFullscreen().catch(() => {});
    }

    seekBy(seconds) {
      if (this.isLive || !this.source) return;
      const duration = Number.isFinite(this.video.duration) ? this.video.duration : Infinity;
      this.video.currentTime = Math.min(Math.max(0, this.video.currentTime + seconds), duration);
    }

    goLive() {
      if (this.hls && Number.isFinite(this.hls.liveSyncPosition)) this.video.currentTime = this.hls.liveSyncPosition;
      else if (this.video.seekable.length) this.video.currentTime = this.video.seekable.end(this.video.seekable.length - 1) - 2;
    }

    behindLive() {
      if (!this.isLive || this.premiereStart) return null;
      if (this.hls) {
        if (Number.isFinite(this.hls.latency) && this.hls.latency > 0) return this.hls.latency;
        if (Number.isFinite(this.hls.liveSyncPosition)) return Math.max(0, this.hls.liveSyncPosition - this.video.currentTime);
      }
      if (this.video.seekable.length) return Math.max(0, this.video.seekable.end(this.video.seekable.length - 1) - this.video.currentTime);
      return null;
    }

    sync() {
      const paused = this.video.paused;
      this.ui.play.textContent = paused ? "Play" : "Pause";
      this.ui.play.setAttribute("aria-label", paused ? "Play" : "Pause");
      this.ui.mute.textContent = this.video.muted ? "Unmute" : "Mute";
      this.ui.mute.setAttribute("aria-label", this.video.muted ? "Unmute" : "Mute");
      this.ui.mute.setAttribute("aria-pressed", String(this.video.muted));
      const behind = this.behindLive();
      if (behind !== null) {
        this.ui.behind.hidden = false;
        this.ui.behind.textContent = `${Math.round(behind)} s behind live`;
        this.ui.behind.setAttribute("aria-label", `${Math.round(behind)} seconds behind live: jump to live`);
      } else {
        this.ui.behind.hidden = true;
      }
      if (this.isLive) {
        this.ui.time.textContent = "";
      } else if (this.source) {
        const duration = Number.isFinite(this.video.duration) ? this.video.duration : 0;
        this.ui.time.textContent = `${fmtClock(this.video.currentTime)} / ${fmtClock(duration)}`;
        this.ui.seek.max = String(Math.floor(duration));
        if (!this.seeking) this.ui.seek.value = String(Math.floor(this.video.currentTime));
        this.ui.seek.setAttribute("aria-valuetext", `${fmtClock(this.video.currentTime)} of ${fmtClock(duration)}`);
      }
    }

    bind() {
      const { ui, video } = this;
      ui.play.addEventListener("click", () => this.togglePlay());
      ui.mute.addEventListener("click", () => this.toggleMute());
      ui.captions.addEventListener("click", () => this.toggleCaptions());
      ui.fullscreen.addEventListener("click", () => this.toggleFullscreen());
      ui.behind.addEventListener("click", () => this.goLive());
      ui.quality.addEventListener("change", () => {
        if (!this.hls) return;
        const level = Number(ui.quality.value);
        this.hls.currentLevel = level; // -1: automatic
        this.say(level < 0 ? "Quality: automatic." : `Quality: ${ui.quality.selectedOptions[0].textContent}.`);
      });
      ui.seek.addEventListener("input", () => {
        this.seeking = true;
      });
      ui.seek.addEventListener("change", () => {
        this.seeking = false;
        if (!this.isLive) video.currentTime = Number(ui.seek.value);
      });
      for (const name of ["play", "pause", "timeupdate", "volumechange", "durationchange", "loadedmetadata"]) {
        video.addEventListener(name, () => this.sync());
      }
      video.addEventListener("playing", () => {
        this.engaged = true;
      });
      video.addEventListener("click", () => this.togglePlay());
      this.root.addEventListener("keydown", (event) => {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        const target = event.target;
        if (target.matches("input, select, textarea")) return;
        const onButton = target.matches("button, a");
        const key = event.key;
        if ((key === " " && !onButton) || key === "k" || key === "K") this.togglePlay();
        else if (key === "m" || key === "M") this.toggleMute();
        else if (key === "f" || key === "F") this.toggleFullscreen();
        else if (key === "c" || key === "C") this.toggleCaptions();
        else if (key === "ArrowLeft" && !this.isLive) this.seekBy(-5);
        else if (key === "ArrowRight" && !this.isLive) this.seekBy(5);
        else return;
        event.preventDefault();
      });
      // Other recordings of the session (buttons next to the player).
      const scope = this.root.parentElement || document;
      for (const other of scope.querySelectorAll("[data-play-recording]")) {
        other.addEventListener("click", () => {
          this.loadRecording(other.dataset.playRecording, { autoplay: true });
          this.root.focus();
        });
      }
    }

    say(text) {
      this.statusLine.textContent = text;
      this.statusLine.classList.remove("is-error");
    }

    setStatus(text, isError = false) {
      this.statusLine.textContent = text;
      this.statusLine.classList.toggle("is-error", isError);
    }
  }

  function boot() {
    for (const root of document.querySelectorAll("[data-player]")) {
      if (root.player) continue;
      root.player = new Player(root);
      root.player.start();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
