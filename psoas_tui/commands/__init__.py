"""One module per ``psoas-tui`` subcommand: ``add_parser(subparsers)`` and ``run(args)``.

``psoas_tui.cli`` imports a module only when its command is chosen (or ``--help`` lists them
all), so a module's imports cost nothing to the other commands or to opening the app.
"""
