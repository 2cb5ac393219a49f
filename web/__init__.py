"""Serving the built package read-only through Datasette: its metadata, the server and its plugin."""
