"""apiextensions.k8s.io storage: CustomResourceDefinitions."""
