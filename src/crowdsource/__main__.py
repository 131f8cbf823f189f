from crowdsource.cli import main

raise SystemExit(main())
