"""Ask Dealwise: the metric catalog, question → QueryPlan → scoped SQL → Answer, and the hybrid index over calls and notes."""
