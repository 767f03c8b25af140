"""authentication.k8s.io: the review kinds that ask who a token or a request belongs to."""
