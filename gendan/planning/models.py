"""Workshop lines, the production schedule, daily progress, production instructions and exceptions."""
