"""T&A plans, milestones, the chase board, communications and meetings."""
