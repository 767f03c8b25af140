"""Calling out to webhooks the way kube-apiserver does: a client built from a kubeconfig file
(`kubeconfig`), a JSON POST with a timeout and retries with exponential backoff (`client`), and
the expiring LRU cache the token and authorization webhooks keep their answers in (`cache`)."""
