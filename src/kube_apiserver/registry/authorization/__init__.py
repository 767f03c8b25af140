"""authorization.k8s.io: access and rules reviews, answered by the authorizer and never stored."""
