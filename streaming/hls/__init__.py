"""The HLS ladder writer: one encode per rendition into fMP4 HLS, live or on demand."""
