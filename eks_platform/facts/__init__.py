"""AWS facts as data, each with the command that refreshes it (zones, add-on feature minimums)."""
