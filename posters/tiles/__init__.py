"""A poster's PDF and its deep-zoom tiles: upload, the render job, the files served."""
