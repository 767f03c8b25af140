from kube_apiserver.cmd.app import main

raise SystemExit(main())
