"""Benchmarks: figures measured on this machine and written, with the machine described,
to benchmarks/results.json and its Markdown twin (see :mod:`.results`).

``scale`` (``govgraph bench``: load, memory, every question, networkx and Neo4j beside),
``api`` (``bench-api``: wrk against the server), ``importing`` (``bench-import``: ledgers),
``brief`` (``bench-brief``: a briefing from the command to the rendered page, with
:mod:`.browser`, Playwright on Debian's Chromium).
"""
