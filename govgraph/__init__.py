"""govgraph: the grassroots grid-governance network (网格化管理) as a graph."""

__version__ = "0.3.0.dev0"
