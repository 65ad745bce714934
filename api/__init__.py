"""HTTP API (FastAPI) over govgraph's questions — see the open API issue."""
