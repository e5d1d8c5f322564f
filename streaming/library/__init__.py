"""The recordings library: recordings, captions, premieres, probing uploads, and its API."""
