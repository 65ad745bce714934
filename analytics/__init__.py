"""Analytics: networkx on subgraphs exported from a backend; pure functions."""
