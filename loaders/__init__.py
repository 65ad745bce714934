"""Getting data into the graph: real divisions, seeded scenarios, batched writes."""
