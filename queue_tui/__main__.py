"""`python -m queue_tui` runs the command line."""

from queue_tui.cli import main

raise SystemExit(main())
