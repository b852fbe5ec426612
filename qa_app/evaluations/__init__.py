"""Agent evaluations per period: the formula, dashboards, coaching, finalising and exports."""
