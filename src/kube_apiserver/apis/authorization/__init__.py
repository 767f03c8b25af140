"""authorization.k8s.io: the review kinds that ask the authorizer what a user may do."""
