from eks_platform.tools.cli import main

raise SystemExit(main())
