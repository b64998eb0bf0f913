"""The chaos soak's parts: a clock shared between processes, the simulated site and its two agents'
servers, the agent process driven by keys, the tasks, the checks counted from the requests, and
the write bugs the self-test plants."""
