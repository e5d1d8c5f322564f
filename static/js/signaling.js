// What the studio (studio.js) and the panel (panel.js) share when they send a complete SDP
// offer (ICE gathered, no trickle) to the server: loaded before both.
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
};
