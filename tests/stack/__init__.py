"""Stack-wide graph tests: every shipped stack's resources, security, order, AWS rules."""
