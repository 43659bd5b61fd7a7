"""Run a Pulumi program under recording mocks: no cloud, no CLI, no network.

`synthesize()` records every registration (type, name, parent, inputs, dependencies, options)
and the stack's exports. The tests and `python -m eks_platform plan` share this one harness.
Each run happens in a fresh `contextvars.Context`, so runs in one process never see each other.
"""

from eks_platform.tools.synth.graph import Graph, RecordedResource
from eks_platform.tools.synth.mocks import (
    ACCOUNT,
    RESOLVED_AT_DEPLOY,
    LiveGroupState,
    LiveState,
    RecordingMocks,
    RecordingMonitor,
    fake_state,
)
from eks_platform.tools.synth.run import (
    find_project_root,
    stack_name,
    synthesize,
    synthesize_program,
)

__all__ = [
    "ACCOUNT",
    "RESOLVED_AT_DEPLOY",
    "Graph",
    "LiveGroupState",
    "LiveState",
    "RecordedResource",
    "RecordingMocks",
    "RecordingMonitor",
    "fake_state",
    "find_project_root",
    "stack_name",
    "synthesize",
    "synthesize_program",
]
