"""Live stages: WebRTC ingest, HLS packaging, recordings and on-demand video (see its issue)."""
