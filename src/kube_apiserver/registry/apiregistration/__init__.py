"""apiregistration.k8s.io storage: APIServices, and the local ones kube-apiserver keeps present."""
