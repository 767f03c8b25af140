"""Controllers the server runs itself, where a user of kube-apiserver alone would expect the work done."""
