// What the studio (studio.js), the panel (panel.js) and a poster's video room
// (poster-room.js) share when they send a complete SDP offer (ICE gathered, no trickle) to
// the server: loaded before them.
window.Signaling = {
  // Resolves once ICE gathering is complete, or after `ms`: then what was gathered is sent.
  iceGathered(connection, ms) {
    if (connection.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      const done = () => {
        if (connection.iceGatheringState !== "complete") return;
        clearTimeout(timer);
        connection.removeEventListener("icegatheringstatechange", done);
        resolve();
      };
      connection.addEventListener("icegatheringstatechange", done);
    });
  },

  // The server's own words for a refusal (its JSON "detail"), else the status.
  async errorDetail(response) {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
    } catch {
      // not JSON
    }
    return `the server answered ${response.status}`;
  },

  // Takes a seat in a panel or video room over WHIP-shaped signaling: opens the camera and
  // microphone, sends and receives audio and video on one connection, POSTs the complete
  // offer to `url` (201: the answer, and the seat's Location to DELETE when leaving).
  // `onTrack(track)` gets each received track, `onState(state)` the connection's states,
  // `onJoining()` is told when the offer goes out. Resolves {pc, stream, seat}; on failure
  // closes what it opened and throws (the message is the server's words).
  async join(url, csrf, { onTrack, onState, onJoining, iceMs = 5000 }) {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 360 } },
      audio: true,
    });
    const pc = new RTCPeerConnection({ iceServers: [] });
    try {
      const [video] = stream.getVideoTracks();
      const [audio] = stream.getAudioTracks();
      pc.addTransceiver(video, { direction: "sendrecv", streams: [stream] });
      pc.addTransceiver(audio, { direction: "sendrecv", streams: [stream] });
      pc.addEventListener("track", (event) => onTrack(event.track));
      pc.addEventListener("connectionstatechange", () => onState(pc.connectionState));
      await pc.setLocalDescription(await pc.createOffer());
      await this.iceGathered(pc, iceMs);
      if (onJoining) onJoining();
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/sdp", "X-CSRF-Token": csrf },
        body: pc.localDescription.sdp,
      });
      if (response.status !== 201) throw new Error(await this.errorDetail(response));
      const seat = response.headers.get("Location");
      await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
      return { pc, stream, seat };
    } catch (error) {
      pc.close();
      stream.getTracks().forEach((track) => track.stop());
      throw error;
    }
  },

  // Gives up a seat; keepalive, so it also goes out while the page is being left.
  leave(seat, csrf) {
    return fetch(seat, {
      method: "DELETE",
      keepalive: true,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf },
    });
  },
};
