"""apiextensions.k8s.io: CustomResourceDefinitions (served as objects; custom resources come later)."""
