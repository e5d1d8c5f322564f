"""Panels: speakers of a stage see and hear each other over WebRTC, composed into one picture."""
