"""Tooling apart from the library: the CLI, the offline plan, synthesis under mocks, the
configuration reference and the instance table generator. Nothing here is imported by the
components."""
