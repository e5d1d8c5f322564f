"""Realtime: the hub that carries events between processes and to websocket clients."""
