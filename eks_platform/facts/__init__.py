"""AWS facts as generated data, each with the command that refreshes it."""
