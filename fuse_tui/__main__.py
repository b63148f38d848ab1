from fuse_tui.cli import main

raise SystemExit(main())
