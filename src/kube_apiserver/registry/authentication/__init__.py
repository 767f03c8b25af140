"""authentication.k8s.io: TokenReviews and SelfSubjectReviews, answered and never stored."""
