from mcexplorer.cli import main

raise SystemExit(main())
