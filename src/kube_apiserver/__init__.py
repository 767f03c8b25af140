"""A Kubernetes API server in Python."""
