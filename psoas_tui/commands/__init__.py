"""One module per ``psoas-tui`` subcommand: ``add_parser(subparsers)`` and ``run(args)``."""
