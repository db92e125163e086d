"""The agent's tools: thin, typed, scope-bound wrappers over the domain rooms (see tools/registry.py)."""
