"""apiregistration.k8s.io: APIService objects, which tell the aggregator who serves a group/version."""
